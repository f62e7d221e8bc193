export default definePageConfig({ navigationBarTitleText: '消息发件箱（演示）', enablePullDownRefresh: true });
