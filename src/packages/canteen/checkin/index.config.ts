export default definePageConfig({ navigationBarTitleText: '助餐登记' });
