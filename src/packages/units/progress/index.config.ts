export default definePageConfig({ navigationBarTitleText: '发布进展', enablePullDownRefresh: true });
