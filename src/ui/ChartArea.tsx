// Curves of Dice and loss against step; one line per series.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  points: { step: number; value: number }[];
}

export function ChartArea({ series }: { series: ChartSeries[] }) {
  return (
    <figure className="chart" aria-label="Dice chart">
      <figcaption>Validation Dice vs step</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} allowDuplicatedCategory={false} />
          <YAxis domain={[0, 1]} />
          <Tooltip />
          <Legend />
          {series.map((s) => (
            <Line
              key={s.id}
              data={s.points}
              dataKey="value"
              name={s.label}
              stroke={s.color}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
