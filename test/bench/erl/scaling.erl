%% scaling_2x on the BEAM: the same independent workload as test/bench/scaling.bench.ts, one
%% ring per scheduler (RINGS rings of SIZE processes, a counter making HOPS hops round each),
%% all rings at once. Run once with +S 1 and once with +S 2; the speed-up is the ratio of the
%% two wall times. Prints one JSON line per run:
%%   {"bench":"scaling_rings_ms","value":<median ms>,"unit":"ms","runtime":"beam","schedulers":S,"samples":[...]}
%%   d=$(mktemp -d) && erlc -o "$d" scaling.erl && erl -pa "$d" +S 2 -noshell -run scaling main 2 1000 1000000 5
-module(scaling).
-export([main/1]).

now_us() -> erlang:monotonic_time(microsecond).

relay(Next, Main) ->
    receive
        0 -> Main ! done, relay(Next, Main);
        K -> Next ! K - 1, relay(Next, Main)
    end.

%% Builds a ring of Size processes; returns its first process.
ring(Size, Main) ->
    Last = spawn(fun() -> receive {next, Next} -> relay(Next, Main) end end),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> relay(Next, Main) end) end, Last, lists:seq(1, Size - 1)),
    Last ! {next, First},
    First.

%% One ring driver per ring, each its own process, so that the rings run independently.
driver(Size, Hops, Parent) ->
    First = ring(Size, self()),
    Parent ! {ready, self()},
    receive go -> ok end,
    First ! Hops,
    receive done -> ok end,
    Parent ! {done, self()}.

once(Rings, Size, Hops) ->
    Self = self(),
    Ds = [spawn(fun() -> driver(Size, Hops, Self) end) || _ <- lists:seq(1, Rings)],
    [receive {ready, D} -> ok end || D <- Ds],
    T0 = now_us(),
    [D ! go || D <- Ds],
    [receive {done, D} -> ok end || D <- Ds],
    (now_us() - T0) / 1000.

median(Xs) ->
    S = lists:sort(Xs),
    N = length(S),
    case N rem 2 of
        1 -> lists:nth(N div 2 + 1, S);
        0 -> (lists:nth(N div 2, S) + lists:nth(N div 2 + 1, S)) / 2
    end.

main([RingsS, SizeS, HopsS, RunsS]) ->
    [Rings, Size, Hops, Runs] = [list_to_integer(X) || X <- [RingsS, SizeS, HopsS, RunsS]],
    once(Rings, Size, Hops div 10), % warm-up
    Ms = [once(Rings, Size, Hops) || _ <- lists:seq(1, Runs)],
    io:format("{\"bench\":\"scaling_rings_ms\",\"value\":~.3f,\"unit\":\"ms\",\"runtime\":\"beam\",\"schedulers\":~b,\"samples\":[~s]}~n",
              [float(median(Ms)), erlang:system_info(schedulers_online), lists:join(",", [io_lib:format("~.3f", [float(M)]) || M <- Ms])]),
    halt().
