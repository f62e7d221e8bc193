export default definePageConfig({ navigationBarTitleText: '实事公示' });
