export default definePageConfig({ navigationBarTitleText: '调查问卷管理', enablePullDownRefresh: true });
