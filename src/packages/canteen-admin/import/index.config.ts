export default definePageConfig({ navigationBarTitleText: '导入助餐名册' });
