export default definePageConfig({ navigationBarTitleText: '助餐对象' });
