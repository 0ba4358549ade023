-- The planner's price of name_bigrams(text) (decision 0051). Declared as a SQL function it cost 100
-- operators (0.25), about 2 µs; it takes ~20 µs per name (generate_series, array_agg DISTINCT), so a
-- plan that computed it for every candidate row as a filter (through the node or trigram index) looked
-- cheaper than the bigram index, which never computes it per row. 1,000 operators is its real cost.
ALTER FUNCTION name_bigrams(text) COST 1000;
