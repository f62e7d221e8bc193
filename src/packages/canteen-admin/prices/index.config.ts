export default definePageConfig({ navigationBarTitleText: '餐费标准' });
