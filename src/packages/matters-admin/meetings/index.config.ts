export default definePageConfig({
  navigationBarTitleText: '居民议事会',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});
