import { restoreSuite } from './restore-suite.js';

// Each test creates its own database (bk_test_<random>) on the local server and drops it,
// with every scratch or kept copy a restore made of it, afterwards.
restoreSuite('postgresql');
