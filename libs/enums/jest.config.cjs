module.exports = { ...require('../../jest.preset.cjs'), displayName: 'enums', rootDir: __dirname };
