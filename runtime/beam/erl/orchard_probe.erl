%% The bridge's probe: runs on a hidden Erlang node that the bridge (Node.js) starts, and reads
%% the target node over Erlang's own distribution. Nothing of it is loaded on the target: every
%% read is an `erpc` call to kernel, stdlib or erts there, or an expression that stdlib's
%% `erl_eval` evaluates there (so the work per process runs in compiled OTP code, and only the
%% few calls of the expression itself are interpreted).
%%
%% It talks to the bridge over its stdin and stdout, in `{packet,4}` frames of the external term
%% format; the bridge starts it with the logger writing to stderr, so that nothing else is
%% written to stdout:
%%
%%   bridge -> probe   {Id, Request}
%%   probe -> bridge   {reply, Id, {ok, Value} | {error, Text}}
%%                     {event, {down, Pid, ReasonText}}      a monitored process exited
%%                     {event, {nodedown, Node, ReasonText}} {event, {nodeup, Node}}
%%
%% The all-process pass (`pass`) is ranked here, not in the bridge: the target sends the
%% reductions of every process (100,000 and more), this node keeps the previous pass's to
%% compute what each did since, and the bridge gets only the rows it shows. A process of its own
%% holds that state and serves one pass at a time.
%%
%% Requests are served in processes of their own, so a slow one (a busy supervisor) never holds
%% up the others or the events. Every call that waits on the target has a timeout on the target
%% side too (gen_server:call/3, sys:get_state/2): erpc's own timeout abandons the call but would
%% leave the process waiting on the target.
-module(orchard_probe).
-export([main/0]).

-define(CALL_MS, 2000).
-define(PREVIEW_CHARS, 400).

main() ->
    process_flag(trap_exit, true),
    Port = open_port({fd, 0, 1}, [binary, {packet, 4}, eof]),
    %% node_type all: a hidden node's connections are hidden ones, which the default leaves out.
    ok = net_kernel:monitor_nodes(true, [{node_type, all}, nodedown_reason]),
    %% The pass gives way to requests and events (a kill's DOWN, a re-read), and has room for a
    %% pass of 100,000 processes without growing its heap one collection at a time.
    Passer = spawn_opt(fun() -> pass_loop({none, #{}}) end, [link, {priority, low}, {min_heap_size, 1000000}]),
    loop(#{port => Port, target => undefined, monitors => #{}, passer => Passer}).

loop(#{port := Port} = S) ->
    receive
        {Port, {data, Bin}} ->
            loop(request(binary_to_term(Bin), S));
        {Port, eof} ->
            erlang:halt(0);
        {'EXIT', Port, _} ->
            erlang:halt(0);
        {done, Id, Result} ->
            out(S, {reply, Id, Result}),
            loop(S);
        {'DOWN', Ref, process, Pid, Reason} ->
            Monitors = maps:get(monitors, S),
            case maps:find(Pid, Monitors) of
                {ok, Ref} ->
                    out(S, {event, {down, Pid, preview(Reason)}}),
                    loop(S#{monitors := maps:remove(Pid, Monitors)});
                _ ->
                    loop(S)
            end;
        {nodedown, Node, Info} ->
            case maps:get(target, S) of
                Node ->
                    Why = proplists:get_value(nodedown_reason, Info, unknown),
                    out(S, {event, {nodedown, Node, preview(Why)}}),
                    %% The monitors went with the connection (each sent its DOWN with noconnection).
                    loop(S#{monitors := #{}});
                _ ->
                    loop(S)
            end;
        {nodeup, Node, _Info} ->
            case maps:get(target, S) of
                Node -> out(S, {event, {nodeup, Node}});
                _ -> ok
            end,
            loop(S);
        {'EXIT', _, _} ->
            loop(S);
        _ ->
            loop(S)
    end.

out(#{port := Port}, Term) ->
    port_command(Port, term_to_binary(Term)).

%% --- Requests ---

request({Id, {ping}}, S) ->
    out(S, {reply, Id, {ok, pong}}),
    S;
request({Id, {connect, Node, Cookie}}, S) ->
    erlang:set_cookie(Node, Cookie),
    async(Id, fun() -> connect(Node) end),
    S#{target := Node};
request({Id, {monitor, Pids}}, #{monitors := Ms} = S) ->
    New = lists:foldl(fun(P, Acc) ->
                              case maps:is_key(P, Acc) of
                                  true -> Acc;
                                  false -> Acc#{P => erlang:monitor(process, P)}
                              end
                      end, Ms, Pids),
    out(S, {reply, Id, {ok, maps:size(New)}}),
    S#{monitors := New};
request({Id, {demonitor, Pids}}, #{monitors := Ms} = S) ->
    New = lists:foldl(fun(P, Acc) ->
                              case maps:take(P, Acc) of
                                  {Ref, Rest} -> erlang:demonitor(Ref, [flush]), Rest;
                                  error -> Acc
                              end
                      end, Ms, Pids),
    out(S, {reply, Id, {ok, maps:size(New)}}),
    S#{monitors := New};
request({Id, {pass, _, _, _, _, _} = Req}, #{target := Node, passer := Passer} = S) ->
    Passer ! {Req, Node, self(), Id},
    S;
request({Id, Req}, #{target := Node} = S) ->
    async(Id, fun() -> serve(Req, Node) end),
    S.

async(Id, Fun) ->
    Loop = self(),
    spawn(fun() -> Loop ! {done, Id, guarded(Fun)} end).

guarded(Fun) ->
    try Fun()
    catch
        error:{erpc, noconnection} -> {error, <<"noconnection">>};
        error:{erpc, timeout} -> {error, <<"timeout">>};
        Class:Reason -> {error, preview({Class, Reason})}
    end.

%% Reads evaluated on the target: parsed here, evaluated there by erl_eval.
eval(Node, Expr, Bindings, Timeout) ->
    {ok, Tokens, _} = erl_scan:string(unicode:characters_to_list(Expr)),
    {ok, Exprs} = erl_parse:parse_exprs(Tokens),
    {value, Value, _} = erpc:call(Node, erl_eval, exprs, [Exprs, lists:ukeysort(1, Bindings)], Timeout + 500),
    Value.

serve({eval, Expr, Bindings, Timeout, Format}, Node) ->
    Value = eval(Node, Expr, Bindings, Timeout),
    case Format of
        raw -> {ok, Value};
        whole -> {ok, preview(Value)};
        each -> {ok, [preview(V) || V <- Value]};
        %% {Size, Objects} and the like: the first element as it is, the list as previews.
        pair_each when is_tuple(Value) -> {ok, {element(1, Value), [preview(V) || V <- element(2, Value)]}};
        pair_each -> {ok, Value}
    end;
%% supervisor:which_children/1 for several supervisors at once, each bounded.
serve({children, Sups, Timeout}, Node) ->
    {ok, parallel(Node, Sups, fun(S) -> {gen_server, call, [S, which_children, Timeout]} end, Timeout)};
%% What sys:get_state/2 tells of each supervisor: strategy, intensity, period, restart types.
serve({sup_states, Sups, Timeout}, Node) ->
    Raw = parallel(Node, Sups, fun(S) -> {sys, get_state, [S, Timeout]} end, Timeout),
    {ok, [{S, sup_state(R)} || {S, R} <- Raw]};
%% The exit signal goes at once, not after a round trip to ask whether the process lives (which
%% waits behind whatever else the target is doing). Whether it lived is told afterwards by a
%% monitor set up before the signal (signals from one process to another arrive in order): a
%% DOWN with noproc says it was gone already; one with another reason, or none while it still
%% lives (it traps exits), that the signal reached it.
serve({exit, Pid, Reason}, Node) ->
    Ref = erlang:monitor(process, Pid),
    exit(Pid, Reason),
    Alive = erpc:call(Node, erlang, is_process_alive, [Pid], ?CALL_MS),
    Answer = receive
                 {'DOWN', Ref, process, Pid, noproc} -> noproc;
                 {'DOWN', Ref, process, Pid, _} -> ok
             after
                 case Alive of true -> 0; false -> ?CALL_MS end -> ok
             end,
    erlang:demonitor(Ref, [flush]),
    {ok, Answer};
serve({send, Name, Msg}, Node) when is_atom(Name) ->
    case erpc:call(Node, erlang, whereis, [Name], ?CALL_MS) of
        undefined -> {ok, noproc};
        Pid -> Pid ! Msg, {ok, ok}
    end;
serve({send, Pid, Msg}, Node) when is_pid(Pid) ->
    case erpc:call(Node, erlang, is_process_alive, [Pid], ?CALL_MS) of
        true -> Pid ! Msg, {ok, ok};
        false -> {ok, noproc}
    end;
serve(Other, _Node) ->
    {error, preview({unknown_request, Other})}.

parallel(Node, Items, Call, Timeout) ->
    Reqs = [{I, begin {M, F, A} = Call(I), erpc:send_request(Node, M, F, A) end} || I <- Items],
    Deadline = erlang:monotonic_time(millisecond) + Timeout + 500,
    [{I, wait(R, Deadline)} || {I, R} <- Reqs].

wait(Req, Deadline) ->
    Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
    try erpc:receive_response(Req, Left) of
        V -> {ok, V}
    catch
        error:{erpc, timeout} -> {error, <<"timeout">>};
        error:{erpc, noconnection} -> {error, <<"noconnection">>};
        Class:Reason -> {error, preview({Class, Reason})}
    end.

%% The supervisor's #state{} read by shape, not by record definition: the target may run
%% another OTP release. Children are #child{} records (tagged `child`) in a list (before OTP 24)
%% or in {Ids, #{Id => #child{}}}; their restart type is the one field that is such an atom.
sup_state({ok, State}) when is_tuple(State), tuple_size(State) >= 7, element(1, State) =:= state ->
    Strategy = element(3, State),
    Children = case element(4, State) of
                   {Ids, Db} when is_list(Ids), is_map(Db) -> [maps:get(Id, Db) || Id <- Ids, maps:is_key(Id, Db)];
                   L when is_list(L) -> L;
                   _ -> []
               end,
    Types = [{element(3, C), restart_type(C)} || C <- Children, is_tuple(C), tuple_size(C) >= 5, element(1, C) =:= child],
    Intensity = element(6, State),
    Period = element(7, State),
    Restarts = case element(8, State) of R when is_list(R) -> length(R); _ -> 0 end,
    {ok, {Strategy, Intensity, Period, Restarts, Types}};
sup_state({ok, _}) ->
    {error, <<"not a supervisor's state">>};
sup_state(Error) ->
    Error.

restart_type(C) ->
    case [F || F <- tuple_to_list(C), F =:= permanent orelse F =:= transient orelse F =:= temporary] of
        [T | _] -> T;
        [] -> permanent
    end.

%% --- The all-process pass ---

%% Serves passes one at a time, keeping each pass's reductions by process for the next one
%% (with the target's creation: a new incarnation reuses the numbers).
pass_loop(Prev) ->
    receive
        {{pass, Expr, Bindings, Timeout, Wants, Tree}, Node, Loop, Id} ->
            {Result, Next} = case guarded(fun() -> pass(Node, Expr, Bindings, Timeout, Wants, Tree, Prev) end) of
                                 {ok, {Value, Reds}} -> {{ok, Value}, Reds};
                                 Error -> {Error, Prev}
                             end,
            Loop ! {done, Id, Result},
            pass_loop(Next)
    end.

%% Expr gives {term_to_binary(Pids, [compressed]), term_to_binary(Infos, [compressed])}:
%% erlang:processes() and, for each, process_info(Pid, reductions) or process_info(Pid,
%% [reductions, Key]) (undefined for those that exited meanwhile). The pids' numbers are read
%% from their binary with a pattern match: decoding 100,000 remote pids as terms costs this node
%% ten times more. A process is then known by its numbers, {Id, Serial}, as the target prints
%% it (<0.Id.Serial>), and so it goes to the bridge.
%%
%% Each want is {Limit, SortBy, Include}; the answer has, for each, its top Limit rows and the
%% Include processes alive, and the rows of the Tree processes alive, each row
%% {Id, Serial, Reductions, SincePrevious}.
pass(Node, Expr, Bindings, Timeout, Wants, Tree, {Creation0, Prev0}) ->
    {PidsBin, InfosBin} = eval(Node, Expr, Bindings, Timeout),
    {Creation, Keys} = pid_keys(uncompressed(PidsBin)),
    Infos = binary_to_term(InfosBin),
    Prev = case Creation of Creation0 -> Prev0; _ -> #{} end,
    Entries = entries(Keys, Infos, Prev, []),
    Reds = maps:from_list([{K, R} || {K, R, _, _} <- Entries]),
    Row = fun({I, S}) ->
                  K = I bsl 32 bor S,
                  case Reds of #{K := R} -> [{K, R, R - maps:get(K, Prev, R)}]; _ -> [] end
          end,
    Out = fun(Rows) -> [{K bsr 32, K band 16#ffffffff, R, D} || {K, R, D} <- Rows] end,
    Ranked = [begin
                  Top = top(Entries, Limit, SortBy),
                  Shown = maps:from_list([{K, []} || {K, _, _} <- Top]),
                  Out(Top ++ [X || {I, S} = P <- Include, not is_map_key(I bsl 32 bor S, Shown), X <- Row(P)])
              end || {Limit, SortBy, Include} <- Wants],
    {ok, {{length(Entries), Ranked, Out(lists:append([Row(P) || P <- Tree]))}, {Creation, Reds}}}.

%% The external term format, uncompressed (binary_to_term/1 would decode it too).
uncompressed(<<131, 80, _Size:32, Zlib/binary>>) -> <<131, (zlib:uncompress(Zlib))/binary>>;
uncompressed(<<131, _/binary>> = Bin) -> Bin.

%% The pids of term_to_binary([Pid]) as Id bsl 32 bor Serial, and the first one's creation.
pid_keys(<<131, 108, _Length:32, Rest/binary>>) -> pid_keys(Rest, none, []);
pid_keys(<<131, 106>>) -> {none, []}.

pid_keys(<<106>>, Creation, Acc) ->
    {Creation, lists:reverse(Acc)};
pid_keys(<<88, Rest/binary>>, Creation, Acc) -> % NEW_PID_EXT
    <<Id:32, Serial:32, C:32, More/binary>> = skip_atom(Rest),
    pid_keys(More, first(Creation, C), [Id bsl 32 bor Serial | Acc]);
pid_keys(<<103, Rest/binary>>, Creation, Acc) -> % PID_EXT
    <<Id:32, Serial:32, C:8, More/binary>> = skip_atom(Rest),
    pid_keys(More, first(Creation, C), [Id bsl 32 bor Serial | Acc]).

first(none, C) -> C;
first(Creation, _) -> Creation.

skip_atom(<<119, N, _:N/binary, Rest/binary>>) -> Rest;   % SMALL_ATOM_UTF8_EXT
skip_atom(<<118, N:16, _:N/binary, Rest/binary>>) -> Rest; % ATOM_UTF8_EXT
skip_atom(<<115, N, _:N/binary, Rest/binary>>) -> Rest;   % SMALL_ATOM_EXT
skip_atom(<<100, N:16, _:N/binary, Rest/binary>>) -> Rest. % ATOM_EXT

entries([K | Ks], [I | Is], Prev, Acc) ->
    case I of
        {reductions, R} -> entries(Ks, Is, Prev, [{K, R, R - maps:get(K, Prev, R), R} | Acc]);
        [{reductions, R}, {_, V}] -> entries(Ks, Is, Prev, [{K, R, R - maps:get(K, Prev, R), V} | Acc]);
        _ -> entries(Ks, Is, Prev, Acc)
    end;
entries(_, _, _, Acc) ->
    lists:reverse(Acc).

%% The top Limit entries by the key, largest first (by pid, {Id, Serial}, for `pid` and
%% `startedAt`). Only the keys are sorted (integers compare fast): the Limit-th largest is the
%% cut, the entries above it are few and sorted, and ties at the cut are taken in the order
%% erlang:processes/0 gave them. On a big node most processes are idle and tie at the cut
%% (0 since the last pass).
top(Entries, Limit, _) when length(Entries) =< Limit ->
    [{P, R, D} || {P, R, D, _} <- Entries];
top(Entries, Limit, pid) ->
    [{P, R, D} || {P, R, D, _} <- lists:sublist(lists:keysort(1, Entries), Limit)];
top(Entries, Limit, startedAt) ->
    [{P, R, D} || {P, R, D, _} <- lists:sublist(lists:reverse(lists:keysort(1, Entries)), Limit)];
top(Entries, Limit, SortBy) ->
    I = case SortBy of
            reductions -> 2;
            reductionsDelta -> 3;
            _ -> 4
        end,
    Keys = lists:sort([element(I, E) || E <- Entries]),
    Cut = lists:nth(length(Keys) - Limit + 1, Keys),
    Above = lists:sort([{-element(I, E), P, R, D} || {P, R, D, _} = E <- Entries, element(I, E) > Cut]),
    At = lists:sublist([{P, R, D} || {P, R, D, _} = E <- Entries, element(I, E) =:= Cut], Limit - length(Above)),
    [{P, R, D} || {_, P, R, D} <- Above] ++ At.

%% --- Connecting ---

%% Says why, in plain words, when the target cannot be reached: no epmd on its host, no such
%% name registered there, or a refusal (the cookie, most likely).
connect(Node) ->
    [Name, Host] = string:split(atom_to_list(Node), "@"),
    case erl_epmd:names(Host) of
        {error, _} ->
            {error, iolist_to_binary(["no epmd answers on ", Host, ": is a node started there (erl -sname ...)? is the host reachable?"])};
        {ok, Names} ->
            case lists:keymember(Name, 1, Names) of
                false ->
                    Known = string:join([N || {N, _} <- Names], ", "),
                    {error, iolist_to_binary(["no node named ", Name, " on ", Host, " (epmd knows: ",
                                              case Known of "" -> "none"; _ -> Known end, ")"])};
                true ->
                    case net_kernel:connect_node(Node) of
                        true ->
                            {ok, node_info(Node)};
                        _ ->
                            {error, iolist_to_binary([atom_to_list(Node), " refused the connection: the cookie is probably wrong "
                                                      "(its log says 'Connection attempt from node ... rejected')"])}
                    end
            end
    end.

node_info(Node) ->
    I = fun(K) -> erpc:call(Node, erlang, system_info, [K], ?CALL_MS) end,
    {Uptime, _} = erpc:call(Node, erlang, statistics, [wall_clock], ?CALL_MS),
    #{otp_release => list_to_binary(I(otp_release)),
      erts_version => list_to_binary(I(version)),
      system_version => unicode:characters_to_binary(string:trim(I(system_version))),
      creation => I(creation),
      schedulers => I(schedulers_online),
      process_limit => I(process_limit),
      uptime_ms => Uptime,
      os_pid => list_to_binary(erpc:call(Node, os, getpid, [], ?CALL_MS))}.

%% --- Previews ---

%% A term as Erlang prints it, cut to a preview. Pids of the target print as the target prints
%% them (<0.N.S>), not with this node's index for it.
preview(Term) ->
    Text = unicode:characters_to_binary(io_lib:format("~0tP", [Term, 30])),
    Local = re:replace(Text, <<"<\\d+\\.(\\d+)\\.(\\d+)>">>, <<"<0.\\1.\\2>">>, [global, {return, binary}, unicode]),
    case string:length(Local) > ?PREVIEW_CHARS of
        true -> <<(string:slice(Local, 0, ?PREVIEW_CHARS - 1))/binary, "…"/utf8>>;
        false -> Local
    end.
