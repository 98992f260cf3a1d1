/** 35 days of a feature used on a few days a month (USD per day, oldest first): 9 days with spend, $29.21 in all. */
export const SPARSE = [5.6, 2.1, 0, 0, 4.97, 0, 0, 0, 0, 1.5, 0, 0, 0, 0, 3.32, 0.11, 0, 0, 0, 7.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.11, 0, 0, 3.5, 0];
