/** What the selected unit's large picture shows, in words, beside it. */
import { useApp } from '../../state/store';
import type { NetworkView } from '../../core/networkView';
import type { UnitRef } from '../../viz/network/networkPictures';

interface Shape {
  kind: NetworkView['kind'];
  perUnit: 1 | 2;
}

export function UnitDetailText({ shape, unit }: { shape: Shape; unit: UnitRef }) {
  const ownG = useApp((s) => !s.params.innerShared);
  const first = unit.layer === 0;
  const lines = first ? 'straight lines' : 'curves (a deeper unit’s sums mix the units before it)';
  return (
    <div className="net-detail-text">
      <h3>
        Layer {unit.layer + 1} · unit {unit.unit + 1}
      </h3>
      {shape.perUnit === 2 ? (
        <>
          <p>
            Its output over the plane, with the training points. The solid line is where its first sum <i>a</i> is 0, the dashed line where
            its second sum <i>b</i> is 0: here {lines}.
          </p>
          <p>
            {ownG && !first ? (
              <>Its layer has its own g; the heatmap shows layer 1’s, so its arguments are not marked there.</>
            ) : (
              <>
                Dots on the <i>g</i> heatmap: its (<i>a</i>, <i>b</i>) for these points, coloured by class. Where <i>g</i> is a saddle, the
                unit is high when exactly one of <i>a</i>, <i>b</i> is high: an XOR of its two lines.
              </>
            )}
          </p>
        </>
      ) : first ? (
        <p>
          Its output over the plane, with the training points. The line is where its one weighted sum is 0. Its output depends on that sum
          alone, so it is the same all along every line parallel to this one: one unit splits the plane by one line and cannot make an XOR
          of two.
        </p>
      ) : (
        <p>
          Its output over the plane, with the training points. The curve is where its one weighted sum is 0; that sum mixes the units before
          it, which is how a network of one-argument units builds an XOR from several.
        </p>
      )}
    </div>
  );
}
