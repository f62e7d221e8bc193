export default definePageConfig({ navigationBarTitleText: '社区实事' });
