import type { UserConfigExport } from '@tarojs/cli';

const host = process.env.SHISHI_HOST ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  h5: {
    // `npm run dev:h5` serves the front end itself; the API lives on the local host.
    devServer: {
      proxy: [{ context: ['/fn', '/auth', '/files'], target: host, changeOrigin: true }],
    },
  },
} satisfies UserConfigExport<'webpack5'>;
