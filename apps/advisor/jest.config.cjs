module.exports = { ...require('../../jest.preset.cjs'), displayName: 'advisor', rootDir: __dirname };
