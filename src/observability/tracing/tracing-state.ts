/** Whether spans are being exported: new traces are then sampled (`Sampled=1`, flags `01`). */
export const tracingState = { exporting: false };
