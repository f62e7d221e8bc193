export default definePageConfig({ navigationBarTitleText: '入户走访', enablePullDownRefresh: true });
