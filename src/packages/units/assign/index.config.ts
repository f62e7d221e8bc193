export default definePageConfig({ navigationBarTitleText: '指定承办单位' });
