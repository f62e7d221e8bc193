export default definePageConfig({ navigationBarTitleText: '领导认领', enablePullDownRefresh: true, onReachBottomDistance: 80 });
