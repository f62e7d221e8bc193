export default definePageConfig({
  navigationBarTitleText: '我的建议',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});
