export default definePageConfig({ navigationBarTitleText: '验收与回访', enablePullDownRefresh: true });
