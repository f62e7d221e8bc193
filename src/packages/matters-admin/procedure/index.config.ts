export default definePageConfig({ navigationBarTitleText: '四议两公开', enablePullDownRefresh: true });
