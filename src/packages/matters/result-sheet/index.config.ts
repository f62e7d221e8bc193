export default definePageConfig({ navigationBarTitleText: '实施结果公开' });
