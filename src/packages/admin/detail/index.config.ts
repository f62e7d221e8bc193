export default definePageConfig({ navigationBarTitleText: '建议处理' });
