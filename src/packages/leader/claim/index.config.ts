export default definePageConfig({ navigationBarTitleText: '认领的实事', onReachBottomDistance: 80 });
