module.exports = { ...require('../../jest.preset.cjs'), displayName: 'detector-kit', rootDir: __dirname };
