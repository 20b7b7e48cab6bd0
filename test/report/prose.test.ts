import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percent } from '../../lib/report/format.js';
import { datasetsParagraph, methodsParagraph, modelsParagraph, recallParagraph } from '../../lib/report/paragraphs.js';
import { capitalise, counted, panelLetter, plural } from '../../lib/report/prose.js';

test('count phrases: "one" spelled out by counted, digits by plural', () => {
  assert.equal(counted(1, 'dataset'), 'one dataset');
  assert.equal(counted(3, 'dataset'), '3 datasets');
  assert.equal(counted(0, 'model was', 'models were'), '0 models were');
  assert.equal(capitalise(counted(1, 'model was', 'models were')), 'One model was');
  assert.equal(plural(1, 'seed'), '1 seed');
  assert.equal(plural(2, 'comparison'), '2 comparisons');
});

test('panel letters wrap after z; percentages keep one decimal at most', () => {
  assert.deepEqual([0, 1, 25, 26].map(panelLetter), ['(a)', '(b)', '(z)', '(a)']);
  assert.equal(percent(0.125), '12.5 %');
  assert.equal(percent(0.1), '10 %');
  assert.equal(percent(1 / 3), '33.3 %');
});

test('body paragraphs name the tables and figures they have, and leave out the ones they lack', () => {
  assert.equal(datasetsParagraph(['IMV']), 'The study uses one dataset: IMV.');
  assert.equal(datasetsParagraph(['IMV', 'Watkins'], 'I'), 'The study uses 2 datasets: IMV and Watkins. Table I summarises them.');
  assert.match(
    datasetsParagraph(['IMV'], 'I', 1),
    /Table I summarises them and Fig\. 1 shows the distribution of their vocalisation lengths/,
  );
  assert.match(modelsParagraph(['HuBERT']), /^One model was probed: HuBERT\. Features are taken from every layer: layer 0/);
  assert.match(modelsParagraph(['A', 'B', 'C'], 'II', 2), /^3 models were probed: A, B and C \(Table II\)\. Features .* as in Fig\. 2:/);
  assert.match(methodsParagraph('seed 7', 1), /items\. For every model.*Probes were trained with seed 7\.$/);
  assert.match(methodsParagraph('3 seeds 1, 2 and 3', 3, 'I'), /test items \(Table I\)\..*over seeds\.$/);
  assert.match(recallParagraph(5, '50 %'), /Every class reaches a mean test recall of 50 % at some layer\.$/);
  assert.match(recallParagraph(5, '50 %', 'IV'), /Table IV lists the classes no layer separates\.$/);
});
