export interface HeaderProps {
  backend: string | null;
  error: string | null;
}

export function Header({ backend, error }: HeaderProps) {
  return (
    <header className="header">
      <h1>Segmentation loss playground</h1>
      <div className="backend">
        <label htmlFor="active-backend">Backend</label>{' '}
        <output id="active-backend" aria-label="Active backend">
          {error ? 'error' : (backend ?? 'starting…')}
        </output>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </header>
  );
}
