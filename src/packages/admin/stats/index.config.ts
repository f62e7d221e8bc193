export default definePageConfig({ navigationBarTitleText: '意见箱统计', enablePullDownRefresh: true });
