// What-if scenarios: their types and mutations, scenarioImpact and applyScenario.
import './scenario.js';
import './impact.js';
import './apply.js';
