export const DETECTOR_KIT = 'detector-kit' as const;
