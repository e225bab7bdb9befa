import { LineChart } from 'recharts';
export const x = LineChart;
