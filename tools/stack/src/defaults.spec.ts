// The apps `npm start` runs must agree, with no variable set, on where a trade happens: the
// detector's signals name a venue, the advisor's intents keep it, and the inspector measures its
// risk on an account and sends the orders there. A detector on spot beside an inspector on futures
// turned every SHORT into a spot sell of an asset the account did not hold.
import { DEFAULT_PIPELINE_CONFIG } from '@barfinex/advisor';
import { loadDetectorConfig } from '@barfinex/detector';
import { loadInspectorConfig } from '@barfinex/inspector';

describe('default app configuration', () => {
  it('detector, advisor and inspector trade on the same connector and market, one where a SHORT is executable', () => {
    const detector = loadDetectorConfig({});
    const inspector = loadInspectorConfig({});
    const venues = [
      { connectorType: detector.DETECTOR_CONNECTOR_TYPE, marketType: detector.DETECTOR_MARKET_TYPE },
      {
        connectorType: DEFAULT_PIPELINE_CONFIG.intent.connectorType,
        marketType: DEFAULT_PIPELINE_CONFIG.intent.marketType,
      },
      { connectorType: inspector.INSPECTOR_CONNECTOR_TYPE, marketType: inspector.INSPECTOR_MARKET_TYPE },
    ];
    expect(venues).toEqual(Array(3).fill({ connectorType: 'sim', marketType: 'futures' }));
  });
});
