export default definePageConfig({ navigationBarTitleText: '实事承办单位', enablePullDownRefresh: true, onReachBottomDistance: 80 });
