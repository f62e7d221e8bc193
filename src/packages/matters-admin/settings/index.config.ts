export default definePageConfig({ navigationBarTitleText: '议事规则设置' });
