import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const env = (process.env.TARO_ENV ?? 'h5') as string;

/** zod ships ES2020 (`?.`, `??`); run it through Babel like our own code so older WeChat clients parse it. */
const transpileDeps = [(file: string) => /[\\/]node_modules[\\/]zod[\\/]/.test(file)];

/** NutUI's precompiled CSS is written for a 375 px design; our own styles for 750. */
const designWidth = (input?: unknown): number => {
  const file = typeof input === 'object' && input && 'file' in input ? String((input as { file?: string }).file ?? '') : '';
  return file.replace(/\\/g, '/').includes('/node_modules/@nutui/') ? 375 : 750;
};

// https://docs.taro.zone/docs/config-detail
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'shishi',
    date: '2025-11-25',
    designWidth,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${env}`,
    plugins: [],
    defineConstants: {
      // CloudBase environment id for Taro.cloud.init (weapp); empty = the default environment.
      CLOUD_ENV: JSON.stringify(process.env.TARO_APP_CLOUD_ENV ?? ''),
      // Origin of the HTTP back end for H5; empty = same origin (the local host serves dist/h5).
      API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE ?? ''),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      // Modules used only by a sub-package stay in that sub-package.
      optimizeMainPackage: { enable: true },
      compile: { include: transpileDeps },
      // NutUI's per-component styles are independent BEM blocks; import order between pages does not matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
      webpackChain(chain) {
        // webpack's web-oriented size hints do not apply to mini-program packages; `npm run size`
        // checks the package budgets (main ≤ 800 KB, each sub-package ≤ 400 KB).
        chain.performance.hints(false);
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: transpileDeps },
      webpackChain(chain) {
        // Pages load as async chunks; share their common modules (zod, NutUI, our client) instead of
        // copying them into every page chunk (Taro's default splits initial chunks only).
        chain.optimization.splitChunks({ ...chain.optimization.get('splitChunks'), chunks: 'all' });
        // The entry is Taro's H5 runtime plus React DOM (≈ 310 KiB, like the hello-world baseline);
        // warn only when it or a chunk grows well past that.
        chain.performance.maxEntrypointSize(400 * 1024).maxAssetSize(300 * 1024);
      },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});
