// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';

export { default as Tag } from '@nutui/nutui-react-taro/dist/es/packages/tag';
