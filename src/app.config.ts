// The sign-in page exists only in H5 (demo sign-in); WeChat knows who the caller is.
const h5Only = process.env.TARO_ENV === 'h5' ? ['pages/login/index'] : [];

export default defineAppConfig({
  pages: [
    'pages/index/index',
    ...h5Only,
    'pages/join/index',
    'pages/redeem/index',
    'pages/suggest/index',
    'pages/mine/index',
    'pages/suggestion/index',
  ],
  // Staff pages: residents never download them.
  subPackages: [
    {
      root: 'packages/admin',
      pages: ['inbox/index', 'detail/index', 'stats/index', 'invite/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f5f6f7',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '社区实事',
    navigationBarTextStyle: 'white',
  },
});
