export default definePageConfig({ navigationBarTitleText: '登记领导认领', enablePullDownRefresh: true, onReachBottomDistance: 80 });
