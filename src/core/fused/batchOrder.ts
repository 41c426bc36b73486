/** The batch order every engine shares (one implementation: core/train/batchOrder.ts). */
export { BatchOrder } from '../train/batchOrder';
