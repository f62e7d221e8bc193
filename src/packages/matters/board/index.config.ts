export default definePageConfig({ navigationBarTitleText: '社区实事清单', enablePullDownRefresh: true });
