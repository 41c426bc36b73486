/** "What am I looking at": the idea of the paper in a few sentences, next to the pictures. */
export function ExplainPanel() {
  return (
    <div className="explain">
      <h2>What am I looking at?</h2>
      <p>
        A cortical pyramidal neuron is not one sum and one threshold. Its <b>basal</b> dendrites (near the cell body) and its <b>apical</b>{' '}
        dendrites (reaching up through the cortex) collect input separately and interact nonlinearly; some human neurons even answer an XOR
        pattern on their own.
      </p>
      <p>
        Here every hidden unit copies that: it computes <b>two</b> weighted sums of the same input, <i>a</i> (basal) and <i>b</i> (apical),
        and combines them with a function <i>g(a, b)</i>. Nobody designs <i>g</i>: it is a tiny neural network of its own,{' '}
        <b>one shared by every unit</b>, learned together with the rest. It starts as a random smooth surface (the thumbnail), so whatever
        shape appears was learned.
      </p>
      <p>
        Watch the big heatmap. Very often <i>g</i> turns into a <b>soft XOR</b>: a smooth saddle, high when exactly one argument is high (or
        its mirror image, soft XNOR). The panel <i>Shape of g</i> fits a quadratic inside the dotted region, where the units’ arguments
        actually fall, and calls it a saddle when the Hessian determinant is negative.
      </p>
      <p className="cite">
        Kim, Orhan, Yoon, Pitkow, “Two-argument activation functions learn soft XOR operations like cortical neurons”, <i>IEEE Access</i>{' '}
        2022.{' '}
        <a href="https://arxiv.org/abs/2110.06871" target="_blank" rel="noopener noreferrer">
          arXiv:2110.06871
        </a>
      </p>
    </div>
  );
}
