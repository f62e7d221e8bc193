export default definePageConfig({ navigationBarTitleText: '实施计划', enablePullDownRefresh: true });
