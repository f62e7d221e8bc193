/** Jest setup of the `cloudbase-standin` project: the harness opens the CloudBase adapter over the stand-in. */
process.env.SHISHI_TEST_STORE = 'cloudbase-standin';
