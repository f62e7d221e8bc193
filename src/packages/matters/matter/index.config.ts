export default definePageConfig({ navigationBarTitleText: '实事进展', enablePullDownRefresh: true });
