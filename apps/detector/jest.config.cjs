module.exports = { ...require('../../jest.preset.cjs'), displayName: 'detector', rootDir: __dirname };
