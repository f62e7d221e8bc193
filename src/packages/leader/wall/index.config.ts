export default definePageConfig({ navigationBarTitleText: '领导认领墙', enablePullDownRefresh: true });
