-- 00003 two-sided normal p-values in SQL, so the hot spot analysis can build its whole answer
-- (z, p, confidence bin, FDR) in the database instead of post-processing every cell in the server.
--
-- p = erfc(|z| / √2), with W. J. Cody's rational Chebyshev approximations of erfc (as in R's pnorm;
-- relative error below 1e-15) — the same constants and evaluation order as server/src/lib/stats.ts,
-- which a test compares it with. One SQL expression, and not STRICT (a CASE is not strict), so PostgreSQL
-- inlines it into the query instead of calling a function per row; null in, null out all the same.

create function safegrid_two_sided_p(z float8) returns float8
language sql immutable parallel safe
return case
  -- beyond |z| ≈ 38.6 the result is below the smallest double (and PostgreSQL's exp() raises underflow)
  when abs(z) > 38 then 0
  -- |z|/√2 < 0.5
  when abs(z) / sqrt(2::float8) < 0.5 then
    1 - (abs(z) / sqrt(2::float8)) * (((((0.18577770618460315 * ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))) + 3.1611237438705656) * ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))) + 113.86415415105016) * ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))
          + 377.485237685302) * ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 3209.3775891384694)
      / ((((((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))) + 23.601290952344122) * ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))) + 244.02463793444417) * ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))) + 1282.6165260773723) * ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))) + 2844.236833439171)
  -- 0.5 ≤ |z|/√2 < 4
  when abs(z) / sqrt(2::float8) < 4 then
    ((((((((((2.1531153547440383e-8 * (abs(z) / sqrt(2::float8)) + 0.5641884969886701) * (abs(z) / sqrt(2::float8)) + 8.883149794388377) * (abs(z) / sqrt(2::float8))
          + 66.11919063714163) * (abs(z) / sqrt(2::float8)) + 298.6351381974001) * (abs(z) / sqrt(2::float8)) + 881.952221241769) * (abs(z) / sqrt(2::float8))
          + 1712.0476126340707) * (abs(z) / sqrt(2::float8)) + 2051.0783778260716) * (abs(z) / sqrt(2::float8))) + 1230.3393547979972)
     / (((((((((abs(z) / sqrt(2::float8)) + 15.744926110709835) * (abs(z) / sqrt(2::float8)) + 117.6939508913125) * (abs(z) / sqrt(2::float8))
          + 537.1811018620099) * (abs(z) / sqrt(2::float8)) + 1621.3895745666903) * (abs(z) / sqrt(2::float8)) + 3290.7992357334597) * (abs(z) / sqrt(2::float8))
          + 4362.619090143247) * (abs(z) / sqrt(2::float8)) + 3439.3676741437216) * (abs(z) / sqrt(2::float8)) + 1230.3393548037495))
    * exp(-(abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))
  -- |z|/√2 ≥ 4
  else
    ((0.5641895835477563
      - (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))))
        * (((((0.016315387137302097 * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 0.30532663496123236)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 0.36034489994980445)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 0.12578172611122926)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 0.016083785148742275)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 6.587491615298378e-4)
        / (((((1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8))) + 2.568520192289822)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 1.8729528499234604)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 0.5279051029514285)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 0.06051834131244132)
              * (1 / ((abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))) + 0.0023352049762686918))
     / (abs(z) / sqrt(2::float8)))
    * exp(-(abs(z) / sqrt(2::float8)) * (abs(z) / sqrt(2::float8)))
end;

comment on function safegrid_two_sided_p(float8) is 'two-sided p-value of a standard normal deviate, erfc(|z|/√2) (Cody)';
