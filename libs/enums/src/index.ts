export const MarketType = { spot: 'spot', futures: 'futures', margin: 'margin' } as const;
export type MarketType = (typeof MarketType)[keyof typeof MarketType];
