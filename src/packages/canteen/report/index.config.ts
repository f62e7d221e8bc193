export default definePageConfig({ navigationBarTitleText: '助餐报表' });
