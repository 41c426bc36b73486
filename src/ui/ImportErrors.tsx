/** Why an imported file was refused (a run file or a comparison): one alert, nothing changed. */
export function ImportErrors({ errors, testId }: { errors: readonly string[]; testId: string }) {
  if (errors.length === 0) return null;
  return (
    <div className="notice notice-danger" role="alert" data-testid={testId}>
      <div className="notice-body">
        <strong>Nothing was changed: the file cannot be used.</strong>
        <ul>
          {errors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
