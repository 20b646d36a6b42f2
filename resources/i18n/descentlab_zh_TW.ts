<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AppState</name>
    <message>
        <source>no runs</source>
        <extracomment>Work predicted below this many seconds is done at once on the GUI thread. Edits of the same setting closer than this (a slider drag, arrows held) undo as one. RunConfig fields that do not change the numbers of a run. every edit of the scenario (undo/redo); its clean index is the saved state</extracomment>
        <translation>沒有路徑</translation>
    </message>
    <message>
        <source>⚠ {run} cannot start: {error}</source>
        <translation>⚠ {run} 無法開始：{error}</translation>
    </message>
    <message>
        <source>all runs ok · {t} / {T}</source>
        <translation>所有路徑正常 · {t} / {T}</translation>
    </message>
    <message>
        <source>surface {name}</source>
        <translation>曲面 {name}</translation>
    </message>
    <message>
        <source>expression: {message}</source>
        <translation>運算式：{message}</translation>
    </message>
    <message>
        <source>expression</source>
        <translation>運算式</translation>
    </message>
    <message>
        <source>{what} of {run}</source>
        <translation>{run} 的 {what}</translation>
    </message>
    <message>
        <source>optimizer of {run}</source>
        <translation>{run} 的最佳化器</translation>
    </message>
    <message>
        <source>add {run}</source>
        <translation>新增 {run}</translation>
    </message>
    <message>
        <source>{run} (copy)</source>
        <translation>{run} (副本)</translation>
    </message>
    <message>
        <source>remove {run}</source>
        <translation>移除 {run}</translation>
    </message>
</context>
<context>
    <name>BasinOverlay</name>
    <message>
        <source>computing basins of attraction ({n} × {n} starts)… 0 %</source>
        <translation>正在計算吸引域（{n} × {n} 個起點）… 0 %</translation>
    </message>
    <message>
        <source>{run} · {nx} × {ny} starts, {steps} updates each</source>
        <translation>{run} · {nx} × {ny} 個起點，各更新 {steps} 次</translation>
    </message>
    <message>
        <source>&lt;b&gt;Where {other} ends elsewhere than “{base}”&lt;/b&gt; ({share} % of the starts)</source>
        <translation>&lt;b&gt;{other} 與「{base}」終點不同之處&lt;/b&gt;（起點的 {share} %）</translation>
    </message>
    <message>
        <source>minimum {k} {point}</source>
        <translation>最小值 {k} {point}</translation>
    </message>
    <message>
        <source>no minimum / diverges</source>
        <translation>沒有最小值／發散</translation>
    </message>
    <message>
        <source>no start ends differently</source>
        <translation>沒有任何起點的終點不同</translation>
    </message>
    <message>
        <source>&lt;b&gt;Final loss L(θᵀ) of {run}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{run} 的最終損失 L(θᵀ)&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{low} low … {high} high, {diverged} diverges</source>
        <translation>{low} 低 … {high} 高，{diverged} 發散</translation>
    </message>
    <message>
        <source>&lt;b&gt;Basins of “{run}”&lt;/b&gt;: where the run from each start ends</source>
        <translation>&lt;b&gt;「{run}」的吸引域&lt;/b&gt;：從每個起點出發的路徑停在哪裡</translation>
    </message>
    <message>
        <source>minimum {k} {point}  {share} %</source>
        <translation>最小值 {k} {point}  {share} %</translation>
    </message>
    <message>
        <source>near no minimum  {share} %</source>
        <translation>不在任何最小值附近  {share} %</translation>
    </message>
    <message>
        <source>diverges  {share} %</source>
        <translation>發散  {share} %</translation>
    </message>
    <message>
        <source>computing basins of attraction… {percent} %</source>
        <translation>正在計算吸引域… {percent} %</translation>
    </message>
    <message>
        <source>basins: {message}</source>
        <translation>吸引域：{message}</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>Runs</source>
        <translation>路徑</translation>
    </message>
</context>
<context>
    <name>EndPointTable</name>
    <message>
        <source>run</source>
        <translation>路徑</translation>
    </message>
    <message>
        <source>rise</source>
        <translation>上升</translation>
    </message>
    <message>
        <source>ends in</source>
        <translation>終點位於</translation>
    </message>
    <message>
        <source>the run</source>
        <extracomment>the columns&apos; full names (their header tooltips)</extracomment>
        <translation>這條路徑</translation>
    </message>
    <message>
        <source>training loss at the end point</source>
        <translation>終點的訓練損失</translation>
    </message>
    <message>
        <source>testing loss: L shifted by s</source>
        <translation>測試損失：平移 s 後的 L</translation>
    </message>
    <message>
        <source>rise = L(θ − s) − L(θ)</source>
        <translation>上升 = L(θ − s) − L(θ)</translation>
    </message>
    <message>
        <source>sharpness: the largest Hessian eigenvalue at θ</source>
        <translation>尖銳度：θ 處 Hessian 的最大特徵值</translation>
    </message>
    <message>
        <source>the minimum the run ends in</source>
        <translation>路徑最後停在哪個最小值</translation>
    </message>
    <message>
        <source>End points. Testing loss = training loss shifted by s = ({sx}, {sy}); rise = L(θ − s) − L(θ); sharpness λ_max = largest Hessian eigenvalue (large: a narrow canyon, small: a wide basin).</source>
        <translation>終點。測試損失 = 平移 s = ({sx}, {sy}) 後的訓練損失；上升 = L(θ − s) − L(θ)；尖銳度 λ_max = Hessian 的最大特徵值（大：狹窄的峽谷，小：寬廣的盆地）。</translation>
    </message>
    <message>
        <source>End points (no testing shift in this scenario); sharpness = largest Hessian eigenvalue.</source>
        <translation>終點（這個情境沒有測試平移）；尖銳度 = Hessian 的最大特徵值。</translation>
    </message>
    <message>
        <source>min {k}</source>
        <translation>最小值 {k}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>無</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>3D surface</source>
        <translation>3D 曲面</translation>
    </message>
    <message>
        <source>Contour map</source>
        <translation>等高線圖</translation>
    </message>
    <message>
        <source>3D surface and contour map, side by side</source>
        <translation>3D 曲面與等高線圖並排</translation>
    </message>
    <message>
        <source>Whole window</source>
        <translation>整個視窗</translation>
    </message>
    <message>
        <source>MP4 video (H.264)</source>
        <translation>MP4 影片（H.264）</translation>
    </message>
    <message>
        <source>GIF (looping)</source>
        <translation>GIF（循環播放）</translation>
    </message>
    <message>
        <source>PNG frames (a folder of numbered images)</source>
        <translation>PNG 畫格（一個放編號圖片的資料夾）</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} 分 {s} 秒</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} 秒</translation>
    </message>
    <message>
        <source>Export animation</source>
        <translation>匯出動畫</translation>
    </message>
    <message>
        <source>there is nothing to export</source>
        <translation>沒有東西可以匯出</translation>
    </message>
    <message>
        <source>needs the main window</source>
        <translation>需要主視窗</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>瀏覽…</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自訂</translation>
    </message>
    <message>
        <source> frames/s</source>
        <translation> 畫格/秒</translation>
    </message>
    <message>
        <source>from</source>
        <translation>從</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>every</source>
        <translation>每</translation>
    </message>
    <message>
        <source>update(s) per frame</source>
        <translation>次更新一個畫格</translation>
    </message>
    <message>
        <source>Overlay: update and epoch counters, each run&apos;s settings and loss</source>
        <translation>疊加資訊：更新與 Epoch 計數、每條路徑的設定與損失</translation>
    </message>
    <message>
        <source>Slow camera orbit (3D)</source>
        <translation>緩慢環繞視角（3D）</translation>
    </message>
    <message>
        <source>° over the animation</source>
        <translation>°（整段動畫）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>儲存到</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>Cannot export: {problem}.</source>
        <translation>無法匯出：{problem}。</translation>
    </message>
    <message>
        <source>→ {n} frames of {w} × {h}, {seconds} s of animation</source>
        <translation>→ {n} 個 {w} × {h} 的畫格，動畫長 {seconds} 秒</translation>
    </message>
    <message>
        <source>Folder for the PNG frames</source>
        <translation>存放 PNG 畫格的資料夾</translation>
    </message>
    <message>
        <source>{path}: a folder, not a file name; choose a file to write</source>
        <translation>{path}：這是資料夾，不是檔名；請選擇要寫入的檔案</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>準備中…</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>要取代檔案嗎？</translation>
    </message>
    <message>
        <source>{path} already exists. Replace it?</source>
        <translation>{path} 已經存在。要取代它嗎？</translation>
    </message>
    <message>
        <source>Not exported: choose another file name, or say Yes to replace.</source>
        <translation>沒有匯出：請選擇另一個檔名，或選「是」來取代。</translation>
    </message>
    <message>
        <source>Frame {done} of {total} · about {left} left</source>
        <translation>第 {done} 個畫格，共 {total} 個 · 約剩 {left}</translation>
    </message>
    <message>
        <source>Frame {done} of {total}</source>
        <translation>第 {done} 個畫格，共 {total} 個</translation>
    </message>
    <message>
        <source>Wrote {path} in {seconds} s.</source>
        <translation>已寫入 {path}，用了 {seconds} 秒。</translation>
    </message>
    <message>
        <source>Export failed: {message}</source>
        <translation>匯出失敗：{message}</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消；沒有寫入任何東西。</translation>
    </message>
    <message>
        <source>the surface is still being computed; try again in a moment</source>
        <extracomment>Pixels kept free at the top of the 3D view for its caption (&quot;height ∝ L − Lmin&quot;).</extracomment>
        <translation>曲面還在計算中；請稍後再試</translation>
    </message>
    <message>
        <source>there is no run to export yet</source>
        <translation>還沒有可以匯出的路徑</translation>
    </message>
</context>
<context>
    <name>LessonGallery</name>
    <message>
        <source>Lessons — Descent Lab</source>
        <translation>課程 — Descent Lab</translation>
    </message>
    <message>
        <source>{n} short lessons from the lecture “When a neural network won&apos;t train (2): batch and momentum”. Each opens a scenario with its runs ready: press ▶ (Space) and watch; the real-network lessons train and measure on this computer.</source>
        <translation>{n} 堂取材自「類神經網路訓練不起來怎麼辦 (二)：批次 (batch) 與動量 (momentum)」的短課程。每一課都會開啟一個路徑已備妥的情境：按 ▶（空白鍵）觀察；真實網路的課程會在這台電腦上訓練並測量。</translation>
    </message>
    <message>
        <source>Show the lessons when Descent Lab starts</source>
        <translation>啟動 Descent Lab 時顯示課程</translation>
    </message>
    <message>
        <source>Open lesson</source>
        <translation>開啟課程</translation>
    </message>
    <message>
        <source>Lesson {number} · {title}</source>
        <translation>第 {number} 課 · {title}</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>◀ previous</source>
        <translation>◀ 上一課</translation>
    </message>
    <message>
        <source>next ▶</source>
        <translation>下一課 ▶</translation>
    </message>
    <message>
        <source>lesson {k} of {n}</source>
        <translation>第 {k} 課，共 {n} 課</translation>
    </message>
</context>
<context>
    <name>LessonTools</name>
    <message>
        <source>End points: training and testing loss</source>
        <extracomment>The basins are recomputed this long after the last change (a dragged slider: once). The escape action is enabled or disabled this long after the state last changed. A network lesson opens its window this long after the lesson itself. A lesson or built-in scenario chosen (its name). A status message and how long to show it (ms). The end-point table was shown or hidden.</extracomment>
        <translation>終點：訓練損失與測試損失</translation>
    </message>
    <message>
        <source>basins: {message}</source>
        <translation>吸引域：{message}</translation>
    </message>
    <message>
        <source>Basins of &amp;attraction</source>
        <translation>吸引域(&amp;A)</translation>
    </message>
    <message>
        <source>Colour every start by the minimum the selected run would end in from there</source>
        <translation>依選取的路徑從每個起點出發最後停在哪個最小值，為起點著色</translation>
    </message>
    <message>
        <source>Basins: where &amp;momentum changes the end</source>
        <translation>吸引域：動量改變終點之處(&amp;M)</translation>
    </message>
    <message>
        <source>Only the starts whose run ends in another minimum with GD ↔ momentum swapped (λ = 0 for a momentum run)</source>
        <translation>只顯示把 GD ↔ 動量互換後（動量路徑改用 λ = 0），會停在另一個最小值的起點</translation>
    </message>
    <message>
        <source>&amp;Escape along the eigenvector (Hessian)</source>
        <translation>沿特徵向量逃離（Hessian）(&amp;E)</translation>
    </message>
    <message>
        <source>At a saddle point: one step along the eigenvector of the negative eigenvalue, then the run continues (added as a new run)</source>
        <translation>在鞍點：沿負特徵值的特徵向量走一步，之後路徑繼續（新增為一條新路徑）</translation>
    </message>
    <message>
        <source>Batch-size &amp;study…</source>
        <translation>批次大小實驗(&amp;S)…</translation>
    </message>
    <message>
        <source>The selected run with many batch sizes and shuffle seeds; the time of one update and of one epoch</source>
        <translation>用多種批次大小與 shuffle 種子執行選取的路徑；並量測一次更新與一個 Epoch 的時間</translation>
    </message>
    <message>
        <source>Real &amp;network: small vs large batches…</source>
        <translation>真實網路：小批次與大批次(&amp;N)…</translation>
    </message>
    <message>
        <source>A real network on the digits: every batch size and seed trained and measured (accuracy, sharpness λ_max, Keskar&apos;s line, the path on a plane)</source>
        <translation>在手寫數字上訓練真實網路：每個批次大小與種子都訓練並測量（正確率、尖銳度 λ_max、Keskar 的直線、平面上的路徑）</translation>
    </message>
    <message>
        <source>&amp;Lessons…</source>
        <translation>課程(&amp;L)…</translation>
    </message>
    <message>
        <source>All lessons…</source>
        <translation>所有課程…</translation>
    </message>
    <message>
        <source>escaped along u = ({u1}, {u2}) with λ₁ = {l1} &lt; 0: “{label}” continues from θ = ({x}, {y})</source>
        <translation>沿 u = ({u1}, {u2}) 逃離，λ₁ = {l1} &lt; 0：「{label}」從 θ = ({x}, {y}) 繼續</translation>
    </message>
    <message>
        <source>Added the study&apos;s run “{label}”</source>
        <translation>已新增實驗的路徑「{label}」</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Lesson</source>
        <extracomment>The window&apos;s size on a first start (a remembered size wins; both are fitted to the screen). &quot;computing…&quot; shows in the status bar only for a computation that lasts longer than this (ms): a quick η change does not flash it and re-lay out the window twice. File → New opens this built-in scenario.</extracomment>
        <translation>課程</translation>
    </message>
    <message>
        <source>Step inspector</source>
        <translation>步驟檢視器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新增(&amp;N)</translation>
    </message>
    <message>
        <source>a new scenario (the default saddle)</source>
        <translation>新的情境（預設的鞍點）</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>開啟(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>儲存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存新檔(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近開啟(&amp;R)</translation>
    </message>
    <message>
        <source>Export trajectories as &amp;CSV…</source>
        <translation>將軌跡匯出為 &amp;CSV…</translation>
    </message>
    <message>
        <source>Export trajectories as &amp;JSON…</source>
        <translation>將軌跡匯出為 &amp;JSON…</translation>
    </message>
    <message>
        <source>Export &amp;animation…</source>
        <translation>匯出動畫(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編輯(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>復原(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>執行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Play / pause</source>
        <translation>播放／暫停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>下一步(&amp;S)</translation>
    </message>
    <message>
        <source>Step &amp;back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Reset to t = 0</source>
        <translation>重設到 t = 0(&amp;R)</translation>
    </message>
    <message>
        <source>Jump to the &amp;end</source>
        <translation>跳到結尾(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Add run</source>
        <translation>新增路徑(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Duplicate run</source>
        <translation>複製路徑(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <source>3D surface</source>
        <translation>3D 曲面</translation>
    </message>
    <message>
        <source>Contour map</source>
        <translation>等高線圖</translation>
    </message>
    <message>
        <source>Loss plot</source>
        <translation>損失曲線</translation>
    </message>
    <message>
        <source>Controls and inspector</source>
        <translation>控制項與檢視器</translation>
    </message>
    <message>
        <source>Step &amp;vectors</source>
        <translation>更新向量(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Hessian eigenvectors</source>
        <translation>Hessian 特徵向量(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Batch loss L_b on the contour map</source>
        <translation>在等高線圖上顯示批次損失 L_b(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Testing loss on the contour map</source>
        <translation>在等高線圖上顯示測試損失(&amp;T)</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主題</translation>
    </message>
    <message>
        <source>Light theme</source>
        <translation>淺色主題</translation>
    </message>
    <message>
        <source>&amp;Grid resolution</source>
        <translation>網格解析度(&amp;G)</translation>
    </message>
    <message>
        <source>Reset &amp;camera</source>
        <translation>重設視角(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Language (after a restart)</source>
        <translation>語言（重新啟動後生效）(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>課程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Update rules</source>
        <translation>更新規則(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;About Descent Lab</source>
        <translation>關於 Descent Lab(&amp;A)</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>computing…  {status}</source>
        <translation>計算中…  {status}</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>start a new scenario</source>
        <translation>開始新的情境</translation>
    </message>
    <message>
        <source>open another scenario</source>
        <translation>開啟另一個情境</translation>
    </message>
    <message>
        <source>Open scenario</source>
        <translation>開啟情境</translation>
    </message>
    <message>
        <source>Cannot open scenario</source>
        <translation>無法開啟情境</translation>
    </message>
    <message>
        <source>open the lesson</source>
        <translation>開啟這一課</translation>
    </message>
    <message>
        <source>Save scenario</source>
        <translation>儲存情境</translation>
    </message>
    <message>
        <source>Cannot save scenario</source>
        <translation>無法儲存情境</translation>
    </message>
    <message>
        <source>{path}: a folder, not a file name; choose a file to write</source>
        <translation>{path}：這是資料夾，不是檔名；請選擇要寫入的檔案</translation>
    </message>
    <message>
        <source>saved {path}</source>
        <translation>已儲存 {path}</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>The runs are still being computed, or a run could not start; try again when every run has a path.</source>
        <translation>路徑還在計算中，或有一條路徑無法開始；請等每條路徑都算好後再試一次。</translation>
    </message>
    <message>
        <source>trajectories</source>
        <translation>軌跡</translation>
    </message>
    <message>
        <source>Export trajectories ({kind})</source>
        <translation>匯出軌跡（{kind}）</translation>
    </message>
    <message>
        <source>{kind} (*.{ext});;All files (*)</source>
        <translation>{kind} (*.{ext});;所有檔案 (*)</translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation>正在寫入 {name}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export trajectories</source>
        <translation>匯出軌跡</translation>
    </message>
    <message>
        <source>exported {path}</source>
        <translation>已匯出 {path}</translation>
    </message>
    <message>
        <source>{path}: cannot write ({message})</source>
        <translation>{path}：無法寫入（{message}）</translation>
    </message>
    <message>
        <source>Export animation</source>
        <translation>匯出動畫</translation>
    </message>
    <message>
        <source>Exporting animations is not available in this version.</source>
        <translation>這個版本無法匯出動畫。</translation>
    </message>
    <message>
        <source>The window will be in {language} after a restart.</source>
        <translation>重新啟動後，視窗會改用{language}。</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>關於 {app}</translation>
    </message>
    <message>
        <source>close the window</source>
        <translation>關閉視窗</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>尚未儲存的變更</translation>
    </message>
    <message>
        <source>{name} has unsaved changes. Save them before you {action}?</source>
        <translation>「{name}」有尚未儲存的變更。要先儲存再{action}嗎？</translation>
    </message>
    <message>
        <source>{name}: nested too deeply to be read ({error})</source>
        <translation>{name}：巢狀層數太深，無法讀取（{error}）</translation>
    </message>
    <message>
        <source>Scenarios (*.toml);;All files (*)</source>
        <translation>情境 (*.toml);;所有檔案 (*)</translation>
    </message>
</context>
<context>
    <name>NetworkWindow</name>
    <message>
        <source>Real network: small vs large batches</source>
        <extracomment>Interval between two animation frames of the path (ms).</extracomment>
        <translation>真實網路：小批次與大批次</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Along the line (Keskar Fig. 3)</source>
        <translation>沿直線（Keskar 圖 3）</translation>
    </message>
    <message>
        <source>Sharpness during training</source>
        <translation>訓練中的尖銳度</translation>
    </message>
    <message>
        <source>Path on a plane</source>
        <translation>平面上的路徑</translation>
    </message>
    <message>
        <source>Hidden layer sizes, e.g. 32 or 64,32 (inputs 64, outputs 10)</source>
        <translation>隱藏層大小，例如 32 或 64,32（輸入 64，輸出 10）</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>squared error (mse)</source>
        <translation>平方誤差（mse）</translation>
    </message>
    <message>
        <source>Comma-separated batch sizes B, each in 1..N; full = N</source>
        <translation>以逗號分隔的批次大小 B，每個介於 1..N；full = N</translation>
    </message>
    <message>
        <source>Seeds per batch size: seed s draws θ⁰ (the same for every B) and shuffles the batches</source>
        <translation>每個批次大小的種子數：種子 s 抽出 θ⁰（每個 B 都相同），並 shuffle 批次</translation>
    </message>
    <message>
        <source>until training loss ≤</source>
        <translation>直到訓練損失 ≤</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>Epoch 數</translation>
    </message>
    <message>
        <source>updates</source>
        <translation>更新次數</translation>
    </message>
    <message>
        <source>Most epochs of a run that trains until the loss target</source>
        <translation>訓練到損失目標的路徑最多的 Epoch 數</translation>
    </message>
    <message>
        <source>same updates for every B</source>
        <translation>每個 B 相同更新次數</translation>
    </message>
    <message>
        <source>Every larger batch makes as many updates as the smallest batch made with the same seed (Hoffer et al. 2017)</source>
        <translation>每個較大的批次都做和同一種子下最小批次一樣多次的更新（Hoffer 等人 2017）</translation>
    </message>
    <message>
        <source>off</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>Record λ_max(∇²L(θᵗ)) every K updates (0: off)</source>
        <translation>每 K 次更新記錄一次 λ_max(∇²L(θᵗ))（0：關閉）</translation>
    </message>
    <message>
        <source>Keep θᵗ every K updates for the path on a plane</source>
        <translation>每 K 次更新保留一次 θᵗ，用於平面上的路徑</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>執行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>隱藏層</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>最佳化器</translation>
    </message>
    <message>
        <source>batch sizes B</source>
        <translation>批次大小 B</translation>
    </message>
    <message>
        <source>seeds</source>
        <translation>種子數</translation>
    </message>
    <message>
        <source>stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>max epochs</source>
        <translation>最多 Epoch 數</translation>
    </message>
    <message>
        <source>λ_max every K</source>
        <translation>每 K 次記錄 λ_max</translation>
    </message>
    <message>
        <source>θ every K</source>
        <translation>每 K 次記錄 θ</translation>
    </message>
    <message>
        <source>Press Run: every batch size and seed is trained and measured here, on this computer.</source>
        <translation>按「執行」：每個批次大小與種子都會在這台電腦上訓練並測量。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Per batch size&lt;/b&gt; (mean ± 95 % confidence interval over the seeds, Student t)</source>
        <translation>&lt;b&gt;各批次大小&lt;/b&gt;（各種子的平均 ± 95 % 信賴區間，Student t）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Every run&lt;/b&gt; (measured at its end point θ)</source>
        <translation>&lt;b&gt;每條路徑&lt;/b&gt;（在終點 θ 測量）</translation>
    </message>
    <message>
        <source>Loss along the line</source>
        <translation>沿直線的損失</translation>
    </message>
    <message>
        <source>loss L</source>
        <translation>損失 L</translation>
    </message>
    <message>
        <source>Accuracy along the line</source>
        <translation>沿直線的正確率</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>正確率</translation>
    </message>
    <message>
        <source>Set “λ_max every K” to a number of updates K and press Run to record the sharpness during training.</source>
        <translation>把「每 K 次記錄 λ_max」設成更新次數 K，再按「執行」，就會記錄訓練中的尖銳度。</translation>
    </message>
    <message>
        <source>update t</source>
        <translation>更新 t</translation>
    </message>
    <message>
        <source>PCA of the run&apos;s path, through its end point</source>
        <translation>路徑的 PCA，通過它的終點</translation>
    </message>
    <message>
        <source>through θ⁰ and the smallest and largest B&apos;s end points</source>
        <translation>通過 θ⁰ 與最小、最大 B 的終點</translation>
    </message>
    <message>
        <source>The run that defines the plane (PCA: its path; end points: its seed&apos;s θ⁰)</source>
        <translation>決定平面的那一次訓練（PCA：它的路徑；端點：它那個種子的 θ⁰）</translation>
    </message>
    <message>
        <source>every B of the run&apos;s seed</source>
        <translation>這個種子的每個 B</translation>
    </message>
    <message>
        <source>every run (all B × seeds)</source>
        <translation>每一次訓練（所有 B × 種子）</translation>
    </message>
    <message>
        <source>Which runs are projected onto the plane; the colour of a path is its batch size B</source>
        <translation>哪些訓練投影到平面上；路徑的顏色代表它的批次大小 B</translation>
    </message>
    <message>
        <source>Training: λ_max is recorded every {k} updates; the traces appear here when the comparison ends.</source>
        <translation>訓練中：每 {k} 次更新記錄一次 λ_max；比較結束後曲線會出現在這裡。</translation>
    </message>
    <message>
        <source>loss on a {n} × {n} grid, then the paths</source>
        <translation>先在 {n} × {n} 網格上算損失，再算路徑</translation>
    </message>
    <message>
        <source>Evaluating the loss at {n} points of the plane…</source>
        <translation>正在計算平面上 {n} 個點的損失…</translation>
    </message>
    <message>
        <source>colour = batch size:</source>
        <translation>顏色 = 批次大小：</translation>
    </message>
    <message>
        <source>Plane drawn in {s:.1f} s.</source>
        <translation>平面畫好了，用了 {s:.1f} 秒。</translation>
    </message>
    <message>
        <source>every B of seed {seed} (same θ⁰)</source>
        <translation>種子 {seed} 的每個 B（相同的 θ⁰）</translation>
    </message>
    <message>
        <source>every run: {n} batch sizes × {m} seeds (each seed its own θ⁰)</source>
        <translation>每一次訓練：{n} 種批次大小 × {m} 個種子（每個種子有自己的 θ⁰）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Plane:&lt;/b&gt; {plane}; θ(a, b) = o + a·d₁ + b·d₂ with orthonormal d₁, d₂. The surface is L(a, b) over this plane; drawn: {shown}, θᵗ every {k} updates. &lt;b&gt;The paths are projections&lt;/b&gt;: θᵗ itself lies up to {dist} away from the plane (in ‖·‖ over all P parameters), so its points need not lie on the drawn surface — the 3D view draws them at their own loss L(θᵗ).</source>
        <translation>&lt;b&gt;平面：&lt;/b&gt;{plane}；θ(a, b) = o + a·d₁ + b·d₂，d₁、d₂ 為正交單位向量。曲面是這個平面上的 L(a, b)；畫出的是：{shown}，每 {k} 次更新取一個 θᵗ。&lt;b&gt;路徑是投影&lt;/b&gt;：θᵗ 本身離平面最遠可達 {dist}（以全部 P 個參數的 ‖·‖ 計），所以它的點不一定落在畫出的曲面上——3D 視圖把它們畫在它們自己的損失 L(θᵗ)。</translation>
    </message>
    <message>
        <source> (ended)</source>
        <translation>（已結束）</translation>
    </message>
    <message>
        <source>epoch {e} + batch {b}/{n}</source>
        <translation>Epoch {e} + 批次 {b}/{n}</translation>
    </message>
    <message>
        <source>accuracy {a}</source>
        <translation>正確率 {a}</translation>
    </message>
    <message>
        <source>off the plane {d}</source>
        <translation>離平面 {d}</translation>
    </message>
    <message>
        <source>Grid points per side: the loss is evaluated grid² times</source>
        <translation>每邊的網格點數：損失要計算 grid² 次</translation>
    </message>
    <message>
        <source>Draw the plane</source>
        <translation>畫出平面</translation>
    </message>
    <message>
        <source>plane</source>
        <translation>平面</translation>
    </message>
    <message>
        <source>run</source>
        <translation>路徑</translation>
    </message>
    <message>
        <source>grid</source>
        <translation>網格</translation>
    </message>
    <message>
        <source>draw</source>
        <translation>畫出</translation>
    </message>
    <message>
        <source>Run the comparison, then draw the plane.</source>
        <translation>先執行比較，再畫出平面。</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Step forward</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>The run the inspector shows (drawn in full colour)</source>
        <translation>檢視器顯示的那一次訓練（以完整顏色畫出）</translation>
    </message>
    <message>
        <source>inspect</source>
        <translation>檢視</translation>
    </message>
    <message>
        <source>Export animation…</source>
        <translation>匯出動畫…</translation>
    </message>
    <message>
        <source>The plane view as MP4, GIF or PNG frames, as a scenario is exported</source>
        <translation>把平面視圖匯出成 MP4、GIF 或 PNG 影格，和匯出情境一樣</translation>
    </message>
    <message>
        <source>Running: {what}.</source>
        <translation>執行中：{what}。</translation>
    </message>
    <message>
        <source>{n} runs trained and measured in {seconds} s on this computer.</source>
        <translation>{n} 條路徑在這台電腦上訓練並測量，用了 {seconds} 秒。</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>until the training loss ≤ {loss} (at most {epochs} epochs)</source>
        <translation>直到訓練損失 ≤ {loss}（最多 {epochs} 個 Epoch）</translation>
    </message>
    <message>
        <source>for {epochs} epochs</source>
        <translation>訓練 {epochs} 個 Epoch</translation>
    </message>
    <message>
        <source>for {updates} updates</source>
        <translation>更新 {updates} 次</translation>
    </message>
    <message>
        <source>the smallest B {rule}, every larger B for as many updates as it made</source>
        <translation>最小的 B {rule}，每個較大的 B 做和它一樣多次的更新</translation>
    </message>
    <message>
        <source>digits: {n} training / {n_test} test examples; network {layers} ({activation}, loss {loss}, P = {parameters}); {optimizer} {hyper}; trained {rule}. λ_max: the largest eigenvalue of ∇²L(θ) on the training set; φ(ε): Keskar&apos;s ε-sharpness (ε = {epsilon}, in %).</source>
        <translation>手寫數字：{n} 個訓練 / {n_test} 個測試樣本；網路 {layers}（{activation}，損失 {loss}，P = {parameters}）；{optimizer} {hyper}；訓練方式：{rule}。λ_max：訓練集上 ∇²L(θ) 的最大特徵值；φ(ε)：Keskar 的 ε-尖銳度（ε = {epsilon}，單位 %）。</translation>
    </message>
    <message>
        <source>Verdict (measured on this computer just now)</source>
        <translation>結論（剛剛在這台電腦上測得）</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>測試正確率</translation>
    </message>
    <message>
        <source>train accuracy</source>
        <translation>訓練正確率</translation>
    </message>
    <message>
        <source>test loss</source>
        <translation>測試損失</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>種子</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止原因</translation>
    </message>
    <message>
        <source>train loss</source>
        <translation>訓練損失</translation>
    </message>
    <message>
        <source>train acc</source>
        <translation>訓練正確率</translation>
    </message>
    <message>
        <source>test acc</source>
        <translation>測試正確率</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>B = {b}, seed {seed}</source>
        <translation>B = {b}，種子 {seed}</translation>
    </message>
    <message>
        <source>Give at least two batch sizes to draw the line between a small and a large batch&apos;s end points.</source>
        <translation>至少要給兩個批次大小，才能畫出小批次與大批次終點之間的直線。</translation>
    </message>
    <message>
        <source>training</source>
        <translation>訓練</translation>
    </message>
    <message>
        <source>test</source>
        <translation>測試</translation>
    </message>
    <message>
        <source>Keskar et al.&apos;s Figure 3: L and accuracy at θ(α) = (1 − α)·θ_SB + α·θ_LB, with θ_SB the end point of {sb} and θ_LB that of {lb} (seed {seed}); α = 0 is {sb}&apos;s end point, α = 1 {lb}&apos;s. A sharp minimum shows as a steep rise of the loss on its side of the line{log}.</source>
        <translation>Keskar 等人的圖 3：θ(α) = (1 − α)·θ_SB + α·θ_LB 處的 L 與正確率，θ_SB 是 {sb} 的終點，θ_LB 是 {lb} 的終點（種子 {seed}）；α = 0 是 {sb} 的終點，α = 1 是 {lb} 的。尖銳的最小值（峽谷）會在直線上它那一側顯示為損失陡升{log}。</translation>
    </message>
    <message>
        <source> (log scale)</source>
        <translation>（對數刻度）</translation>
    </message>
    <message>
        <source>No sharpness was recorded: set “λ_max every K” to a number of updates K and press Run.</source>
        <translation>沒有記錄尖銳度：把「每 K 次記錄 λ_max」設成更新次數 K，再按「執行」。</translation>
    </message>
    <message>
        <source>edge of stability {threshold}</source>
        <translation>穩定性的邊緣 {threshold}</translation>
    </message>
    <message>
        <source> This optimizer adapts its steps: it has no fixed threshold 2/η.</source>
        <translation>這個最佳化器會自己調整步伐：它沒有固定的門檻 2/η。</translation>
    </message>
    <message>
        <source>λ_max(∇²L(θᵗ)) of the training loss, measured every {k} updates (Lanczos on exact Hessian-vector products). Full-batch GD can only stay where η·λ_max ≤ 2 (heavy-ball momentum: η·λ_max ≤ 2 + 2λ); Cohen et al. 2021: the sharpness rises to that edge and hovers there, and smaller batches settle lower. Measured here: {measured}</source>
        <translation>訓練損失的 λ_max(∇²L(θᵗ))，每 {k} 次更新測量一次（以精確的 Hessian-向量乘積做 Lanczos）。完整批次的 GD 只能停留在 η·λ_max ≤ 2 的地方（重球動量：η·λ_max ≤ 2 + 2λ）；Cohen 等人 2021：尖銳度會上升到那個邊緣並在附近徘徊，而較小的批次會安定在較低處。這裡測得：{measured}</translation>
    </message>
    <message>
        <source>Run the comparison first.</source>
        <translation>請先執行比較。</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
</context>
<context>
    <name>PlaybackBar</name>
    <message>
        <source>reset to t = 0 (Home)</source>
        <extracomment>The playback buttons&apos; glyphs: &quot;|&quot; a bar, &quot;&gt;&quot; / &quot;&lt;&quot; a triangle pointing right / left. Shortest timer interval (about 60 frames per second).</extracomment>
        <translation>重設到 t = 0（Home）</translation>
    </message>
    <message>
        <source>step back (←)</source>
        <translation>上一步（←）</translation>
    </message>
    <message>
        <source>play / pause (Space)</source>
        <translation>播放／暫停（空白鍵）</translation>
    </message>
    <message>
        <source>step (→)</source>
        <translation>下一步（→）</translation>
    </message>
    <message>
        <source>jump to the end (End)</source>
        <translation>跳到結尾（End）</translation>
    </message>
    <message>
        <source>scrub through the updates</source>
        <translation>拖曳瀏覽每次更新</translation>
    </message>
    <message>
        <source> updates/s</source>
        <translation> 次更新/秒</translation>
    </message>
    <message>
        <source>playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>no runs</source>
        <translation>沒有路徑</translation>
    </message>
    <message>
        <source>update {t} / {T} · selected run stopped after {n}</source>
        <translation>更新 {t} / {T} · 選取的路徑在第 {n} 次後停止</translation>
    </message>
    <message>
        <source>update {t} / {T} · epoch {epoch} · batch {b} of {per}</source>
        <translation>更新 {t} / {T} · Epoch {epoch} · 批次 {b} / {per}</translation>
    </message>
    <message>
        <source>update {t} / {T}</source>
        <translation>更新 {t} / {T}</translation>
    </message>
</context>
<context>
    <name>RunEditor</name>
    <message>
        <source>{symbol}: {help} (accepted: {range})</source>
        <extracomment>Largest seed the spin boxes offer (files may hold larger ones).</extracomment>
        <translation>{symbol}：{help}（可接受：{range}）</translation>
    </message>
    <message>
        <source>Selected run</source>
        <translation>選取的路徑</translation>
    </message>
    <message>
        <source>colour of this run in every view</source>
        <translation>這條路徑在所有視圖中的顏色</translation>
    </message>
    <message>
        <source>batch size B: examples per update</source>
        <translation>批次大小 B：每次更新用的樣本數</translation>
    </message>
    <message>
        <source>batch size B</source>
        <translation>批次大小 B</translation>
    </message>
    <message>
        <source>full batch</source>
        <translation>完整批次</translation>
    </message>
    <message>
        <source>B = N: every update uses all examples (gradient descent)</source>
        <translation>B = N：每次更新都用全部樣本（梯度下降）</translation>
    </message>
    <message>
        <source>start θ⁰ (or click the contour map; drag the start marker)</source>
        <translation>起點 θ⁰（或點擊等高線圖；拖曳起點標記）</translation>
    </message>
    <message>
        <source>number of updates</source>
        <translation>更新次數</translation>
    </message>
    <message>
        <source>shuffle seed: which examples go into which batch</source>
        <translation>shuffle 種子：哪些樣本分進哪個批次</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>最佳化器</translation>
    </message>
    <message>
        <source>learning rate η (log scale)</source>
        <translation>學習率 η（對數刻度）</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>種子</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步數</translation>
    </message>
    <message>
        <source>Run colour</source>
        <translation>路徑顏色</translation>
    </message>
    <message>
        <source>Selected run: {label}</source>
        <translation>選取的路徑：{label}</translation>
    </message>
    <message>
        <source>B = {b} → 1 update/epoch</source>
        <translation>B = {b} → 每個 Epoch 1 次更新</translation>
    </message>
    <message>
        <source>B = {b} → {n} updates/epoch</source>
        <translation>B = {b} → 每個 Epoch {n} 次更新</translation>
    </message>
</context>
<context>
    <name>RunList</name>
    <message>
        <source>add a run (momentum λ = 0.9, full batch)</source>
        <translation>新增路徑（動量 λ = 0.9，完整批次）</translation>
    </message>
    <message>
        <source>duplicate the selected run</source>
        <translation>複製選取的路徑</translation>
    </message>
    <message>
        <source>remove the selected run</source>
        <translation>移除選取的路徑</translation>
    </message>
    <message>
        <source>cannot start: {error}</source>
        <translation>無法開始：{error}</translation>
    </message>
    <message>
        <source>  ⚠ cannot start</source>
        <translation>  ⚠ 無法開始</translation>
    </message>
    <message>
        <source>  ⚠ diverged</source>
        <translation>  ⚠ 發散</translation>
    </message>
    <message>
        <source>{tip}
(tick: show on the plots)</source>
        <translation>{tip}
（勾選：顯示在圖上）</translation>
    </message>
</context>
<context>
    <name>ScheduleEditor</name>
    <message>
        <source>Learning rate η_t</source>
        <translation>學習率 η_t</translation>
    </message>
    <message>
        <source>how η changes from update to update (torch.optim.lr_scheduler)</source>
        <translation>η 如何隨每次更新改變（torch.optim.lr_scheduler）</translation>
    </message>
    <message>
        <source>η_t over the selected run&apos;s updates; the line: the current update</source>
        <translation>選取路徑各次更新的 η_t；直線：目前的更新</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>排程</translation>
    </message>
</context>
<context>
    <name>StepInspector</name>
    <message>
        <source>Step inspector</source>
        <extracomment>Shortest interval between two refreshes while playback runs or records keep changing. Most optimizer updates replayed per event-loop turn when the inspector jumps far.</extracomment>
        <translation>步驟檢視器</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>計算中…</translation>
    </message>
    <message>
        <source>no runs</source>
        <translation>沒有路徑</translation>
    </message>
    <message>
        <source>t = 0 (the start)</source>
        <translation>t = 0（起點）</translation>
    </message>
    <message>
        <source>Step forward (→) to see the first update.</source>
        <translation>往前一步（→）看第一次更新。</translation>
    </message>
    <message>
        <source>update t = {t}</source>
        <translation>更新 t = {t}</translation>
    </message>
    <message>
        <source>replaying the optimizer state… {percent} %</source>
        <translation>正在重播最佳化器的狀態… {percent} %</translation>
    </message>
    <message>
        <source>update t = {t} · epoch {epoch}, batch {b} of {per}</source>
        <translation>更新 t = {t} · Epoch {epoch}，批次 {b} / {per}</translation>
    </message>
    <message>
        <source>all {n} examples</source>
        <translation>全部 {n} 個樣本</translation>
    </message>
    <message>
        <source>batch {b}</source>
        <translation>批次 {b}</translation>
    </message>
    <message>
        <source>not critical: ‖g‖ = {g} ≠ 0</source>
        <translation>不是臨界點：‖g‖ = {g} ≠ 0</translation>
    </message>
    <message>
        <source>{kind}: g ≈ 0 and {reason} (λ₁ = {l1}, λ₂ = {l2})</source>
        <translation>{kind}：g ≈ 0 且{reason}（λ₁ = {l1}，λ₂ = {l2}）</translation>
    </message>
    <message>
        <source>both eigenvalues &gt; 0</source>
        <translation>兩個特徵值都 &gt; 0</translation>
    </message>
    <message>
        <source>both eigenvalues &lt; 0</source>
        <translation>兩個特徵值都 &lt; 0</translation>
    </message>
    <message>
        <source>eigenvalues of both signs</source>
        <translation>特徵值有正有負</translation>
    </message>
    <message>
        <source>an eigenvalue ≈ 0: the Hessian cannot tell</source>
        <translation>有一個特徵值 ≈ 0：Hessian 無法判斷</translation>
    </message>
    <message>
        <source>minimum</source>
        <translation>局部最小值</translation>
    </message>
    <message>
        <source>maximum</source>
        <translation>局部最大值</translation>
    </message>
    <message>
        <source>saddle</source>
        <translation>鞍點</translation>
    </message>
    <message>
        <source>degenerate</source>
        <translation>退化的臨界點</translation>
    </message>
    <message>
        <source>η·λ_max ≥ 2: GD is unstable here</source>
        <translation>η·λ_max ≥ 2：GD 在這裡不穩定</translation>
    </message>
</context>
<context>
    <name>StudyWindow</name>
    <message>
        <source>equal updates</source>
        <extracomment>Colour of the training loss points, the testing loss points and of &quot;stuck at a saddle&quot;. One colour per η of the sweep (η/2, η, 2η) and per batch size (the scatter). Colour of a verdict&apos;s status. The window&apos;s preferred size (it is fitted into the screen&apos;s available geometry). Largest seeds per batch size offered in the window. Default batch sizes of the timing figure and its number of examples.</extracomment>
        <translation>相同更新次數</translation>
    </message>
    <message>
        <source>equal epochs</source>
        <translation>相同 Epoch 數</translation>
    </message>
    <message>
        <source>study: B = {b}, seed {seed}, η = {lr}, {budget}</source>
        <translation>實驗：B = {b}，種子 {seed}，η = {lr}，{budget}</translation>
    </message>
    <message>
        <source>minimum {k} {point}</source>
        <translation>最小值 {k} {point}</translation>
    </message>
    <message>
        <source>stuck at a saddle point</source>
        <translation>卡在鞍點</translation>
    </message>
    <message>
        <source>elsewhere</source>
        <translation>其他地方</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>發散</translation>
    </message>
    <message>
        <source>batch size B</source>
        <translation>批次大小 B</translation>
    </message>
    <message>
        <source>Batch-size study</source>
        <extracomment>A clicked point&apos;s run (a :class:`RunConfig`) to add to the main window. the studies the points come from, by key (&quot;main&quot;, &quot;updates&quot;, &quot;epochs&quot;, &quot;lr0.5&quot;, …)</extracomment>
        <translation>批次大小實驗</translation>
    </message>
    <message>
        <source>Time per update and per epoch</source>
        <translation>每次更新與每個 Epoch 的時間</translation>
    </message>
    <message>
        <source>Comma-separated batch sizes, each in 1..N (“full” = N)</source>
        <translation>以逗號分隔的批次大小，每個介於 1..N（「full」= N）</translation>
    </message>
    <message>
        <source>Shuffle seeds per batch size: each seed shuffles the examples differently every epoch</source>
        <translation>每個批次大小的 shuffle 種子數：每個種子在每個 Epoch 以不同方式 shuffle 樣本</translation>
    </message>
    <message>
        <source>same number of updates</source>
        <translation>相同的更新次數</translation>
    </message>
    <message>
        <source>same number of epochs</source>
        <translation>相同的 Epoch 數</translation>
    </message>
    <message>
        <source>check the lecture&apos;s claims</source>
        <translation>檢驗課程的論點</translation>
    </message>
    <message>
        <source>Also run the same batch sizes and seeds at equal epochs and at η/2 and 2η (about 4× the time): both budgets side by side, the flat minimum against B and η/B, a verdict per claim</source>
        <translation>也用相同 Epoch 數、以及 η/2 與 2η 執行同樣的批次大小與種子（約 4× 的時間）：兩種預算並排比較，盆地（平坦的最小值）對 B 與 η/B，每個論點一個結論</translation>
    </message>
    <message>
        <source>Run study</source>
        <translation>執行實驗</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>路徑</translation>
    </message>
    <message>
        <source>batch sizes B</source>
        <translation>批次大小 B</translation>
    </message>
    <message>
        <source>seeds per B</source>
        <translation>每個 B 的種子數</translation>
    </message>
    <message>
        <source>budget</source>
        <translation>預算</translation>
    </message>
    <message>
        <source>Final loss of every seed (bar: median)</source>
        <translation>每個種子的最終損失（橫線：中位數）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>Where the runs end</source>
        <translation>路徑停在哪裡</translation>
    </message>
    <message>
        <source>share of the seeds (%)</source>
        <translation>種子所占比例 (%)</translation>
    </message>
    <message>
        <source>Sharpness at the end point</source>
        <translation>終點的尖銳度</translation>
    </message>
    <message>
        <source>Training loss by budget</source>
        <translation>各預算的訓練損失</translation>
    </message>
    <message>
        <source>loss L(θ)</source>
        <translation>損失 L(θ)</translation>
    </message>
    <message>
        <source>Ending in the flat minimum</source>
        <translation>停在盆地（平坦的最小值）</translation>
    </message>
    <message>
        <source>Flat minimum against η/B</source>
        <translation>盆地（平坦的最小值）對 η/B</translation>
    </message>
    <message>
        <source>Testing vs training loss</source>
        <translation>測試損失對訓練損失</translation>
    </message>
    <message>
        <source>testing loss L(θ − s)</source>
        <translation>測試損失 L(θ − s)</translation>
    </message>
    <message>
        <source>training loss L(θ)</source>
        <translation>訓練損失 L(θ)</translation>
    </message>
    <message>
        <source>Click a point (a batch size B and a seed) to add that run to the main window and watch it.</source>
        <translation>點一個點（一個批次大小 B 與一個種子），把那條路徑加到主視窗觀看。</translation>
    </message>
    <message>
        <source>Each time is the best of up to this many measurements</source>
        <translation>每個時間取最多這麼多次測量中最好的一次</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>測量</translation>
    </message>
    <message>
        <source>examples N</source>
        <translation>樣本數 N</translation>
    </message>
    <message>
        <source>repeats</source>
        <translation>重複次數</translation>
    </message>
    <message>
        <source>The lecture: with parallel hardware, the time for &lt;b&gt;one update&lt;/b&gt; hardly grows with B (until B is very large), so &lt;b&gt;one epoch&lt;/b&gt; — ⌈N/B⌉ updates — is faster with large batches. Without parallelism one update costs B times one example. Here a network with one hidden layer computes forward and backward passes; “parallel” hands the whole batch to NumPy as one array, “no parallel” loops over the examples one at a time.</source>
        <translation>課程說：有平行運算的硬體時，&lt;b&gt;一次更新&lt;/b&gt;的時間幾乎不隨 B 增加（除非 B 非常大），所以&lt;b&gt;一個 Epoch&lt;/b&gt;——⌈N/B⌉ 次更新——用大批次比較快。沒有平行運算時，一次更新要花一個樣本的 B 倍時間。這裡用一個有一層隱藏層的網路計算前向與反向傳播；「平行」把整個批次當成一個陣列交給 NumPy，「不平行」則一次處理一個樣本。</translation>
    </message>
    <message>
        <source>Time for one update</source>
        <translation>一次更新的時間</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Time for one epoch</source>
        <translation>一個 Epoch 的時間</translation>
    </message>
    <message>
        <source>Batch-size study — {scenario}</source>
        <translation>批次大小實驗 — {scenario}</translation>
    </message>
    <message>
        <source>scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>The scenario has no runs to study.</source>
        <translation>這個情境沒有可以實驗的路徑。</translation>
    </message>
    <message>
        <source>Running {runs} runs ({sizes} batch sizes × {seeds} seeds) of “{run}”…</source>
        <translation>正在執行「{run}」的 {runs} 條路徑（{sizes} 個批次大小 × {seeds} 個種子）…</translation>
    </message>
    <message>
        <source>{runs} runs in {seconds} s.</source>
        <translation>{runs} 條路徑，用了 {seconds} 秒。</translation>
    </message>
    <message>
        <source>every B makes the same number of updates</source>
        <translation>每個 B 的更新次數相同</translation>
    </message>
    <message>
        <source>every B trains for the same number of epochs</source>
        <translation>每個 B 訓練相同的 Epoch 數</translation>
    </message>
    <message>
        <source>Run “{run}” ({optimizer}, {hyper}) from θ⁰ = ({x}, {y}), N = {n} examples, {seeds} shuffle seeds per batch size; {budget}. A run ends in a minimum or at a saddle point when its final θ is within {radius} of it.</source>
        <translation>路徑「{run}」（{optimizer}，{hyper}）從 θ⁰ = ({x}, {y}) 出發，N = {n} 個樣本，每個批次大小 {seeds} 個 shuffle 種子；{budget}。路徑最後的 θ 與某個最小值或鞍點的距離在 {radius} 以內，就算停在那裡。</translation>
    </message>
    <message>
        <source>Added “{run}” ({steps} updates) to the main window.</source>
        <translation>已把「{run}」（{steps} 次更新）加到主視窗。</translation>
    </message>
    <message>
        <source>testing loss L(θ − s), s = ({sx}, {sy})</source>
        <translation>測試損失 L(θ − s)，s = ({sx}, {sy})</translation>
    </message>
    <message>
        <source>median</source>
        <translation>中位數</translation>
    </message>
    <message>
        <source>largest Hessian eigenvalue at the end point θ</source>
        <translation>終點 θ 的 Hessian 最大特徵值</translation>
    </message>
    <message>
        <source>(log scale)</source>
        <translation>（對數刻度）</translation>
    </message>
    <message>
        <source>The scenario has no testing loss (no test_shift in its [view]): nothing to draw.</source>
        <translation>這個情境沒有測試損失（它的 [view] 裡沒有 test_shift）：沒有東西可畫。</translation>
    </message>
    <message>
        <source>testing = training</source>
        <translation>測試 = 訓練</translation>
    </message>
    <message>
        <source>Tick “check the lecture&apos;s claims” to compare both budgets.</source>
        <translation>勾選「檢驗課程的論點」來比較兩種預算。</translation>
    </message>
    <message>
        <source>equal updates (T = {T} for every B)</source>
        <translation>相同更新次數（每個 B 都是 T = {T}）</translation>
    </message>
    <message>
        <source>equal epochs ({epochs}: {updates} updates)</source>
        <translation>相同 Epoch 數（{epochs}：{updates} 次更新）</translation>
    </message>
    <message>
        <source>Tick “check the lecture&apos;s claims” to draw this.</source>
        <translation>勾選「檢驗課程的論點」來畫出這張圖。</translation>
    </message>
    <message>
        <source>Nothing to draw: {reason}.</source>
        <translation>沒有東西可畫：{reason}。</translation>
    </message>
    <message>
        <source>Nothing to draw (see the left).</source>
        <translation>沒有東西可畫（見左圖）。</translation>
    </message>
    <message>
        <source>η = {lr} (the run&apos;s), equal updates</source>
        <translation>η = {lr}（這條路徑的），相同更新次數</translation>
    </message>
    <message>
        <source>η = {lr}, equal updates</source>
        <translation>η = {lr}，相同更新次數</translation>
    </message>
    <message>
        <source>flat minimum {flat} (λ_max = {lf}; the sharp one: {sharp}, λ_max = {ls})</source>
        <translation>盆地（平坦的最小值）{flat}（λ_max = {lf}；峽谷（尖銳的最小值）：{sharp}，λ_max = {ls}）</translation>
    </message>
    <message>
        <source>η = {lr}, equal epochs</source>
        <translation>η = {lr}，相同 Epoch 數</translation>
    </message>
    <message>
        <source>&lt;b&gt;The lecture&apos;s claims, checked on these numbers&lt;/b&gt; (smallest against largest B; the flat minimum is the one with the smallest λ_max among those the runs end in):</source>
        <translation>&lt;b&gt;用這些數字檢驗課程的論點&lt;/b&gt;（最小的 B 對最大的 B；盆地是路徑停留的最小值中 λ_max 最小的那個）：</translation>
    </message>
    <message>
        <source>in min {k}</source>
        <translation>在最小值 {k}</translation>
    </message>
    <message>
        <source>updates</source>
        <translation>更新次數</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>Epoch 數</translation>
    </message>
    <message>
        <source>median loss</source>
        <translation>損失中位數</translation>
    </message>
    <message>
        <source>loss min … max</source>
        <translation>損失 最小 … 最大</translation>
    </message>
    <message>
        <source>median test loss</source>
        <translation>測試損失中位數</translation>
    </message>
    <message>
        <source>median rise</source>
        <translation>上升中位數</translation>
    </message>
    <message>
        <source>at a saddle</source>
        <translation>在鞍點</translation>
    </message>
    <message>
        <source>median sharpness</source>
        <translation>尖銳度中位數</translation>
    </message>
    <message>
        <source>in the flat min</source>
        <translation>在盆地</translation>
    </message>
    <message>
        <source>equal epochs: updates</source>
        <translation>相同 Epoch 數：更新次數</translation>
    </message>
    <message>
        <source>equal epochs: median loss</source>
        <translation>相同 Epoch 數：損失中位數</translation>
    </message>
    <message>
        <source>equal epochs: in the flat min</source>
        <translation>相同 Epoch 數：在盆地</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>測量中…</translation>
    </message>
    <message>
        <source>Measured in {seconds} s.</source>
        <translation>測量用了 {seconds} 秒。</translation>
    </message>
    <message>
        <source>parallel (whole batch at once)</source>
        <translation>平行（整個批次一次算）</translation>
    </message>
    <message>
        <source>no parallel (one example at a time)</source>
        <translation>不平行（一次一個樣本）</translation>
    </message>
    <message>
        <source>time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Measured on this computer just now — your numbers will differ. Model: {model}; N = {n} examples. From B = {first} to B = {last}: one update (parallel) {u0} → {u1}, one epoch (parallel) {e0} → {e1}; no parallel: one update {s0} → {s1}. ({note}.)</source>
        <translation>剛剛在這台電腦上測得——你的數字會不同。模型：{model}；N = {n} 個樣本。從 B = {first} 到 B = {last}：一次更新（平行）{u0} → {u1}，一個 Epoch（平行）{e0} → {e1}；不平行：一次更新 {s0} → {s1}。（{note}。）</translation>
    </message>
    <message>
        <source>Cancelled (the window was closed).</source>
        <translation>已取消（視窗已關閉）。</translation>
    </message>
</context>
<context>
    <name>SurfacePanel</name>
    <message>
        <source>Surface</source>
        <translation>曲面</translation>
    </message>
    <message>
        <source>Custom expression</source>
        <translation>自訂運算式</translation>
    </message>
    <message>
        <source>f(x, y), e.g. x**2 - y**2 + 0.2*y**4   (Enter applies)</source>
        <translation>f(x, y)，例如 x**2 - y**2 + 0.2*y**4（按 Enter 套用）</translation>
    </message>
    <message>
        <source>Loss of one example: ℓᵢ(θ) = f(θ − δᵢ). Press Enter to apply.</source>
        <translation>單一樣本的損失：ℓᵢ(θ) = f(θ − δᵢ)。按 Enter 套用。</translation>
    </message>
    <message>
        <source>N: the number of training examples</source>
        <translation>N：訓練樣本數</translation>
    </message>
    <message>
        <source>seed of the random examples</source>
        <translation>隨機樣本的種子</translation>
    </message>
    <message>
        <source>condition number κ of the quadratic: its valley is κ× steeper across than along</source>
        <translation>二次函數的條件數 κ：山谷橫向比縱向陡 κ 倍</translation>
    </message>
    <message>
        <source>condition κ</source>
        <translation>條件數 κ</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>noise</source>
        <translation>雜訊</translation>
    </message>
    <message>
        <source>data seed</source>
        <translation>資料種子</translation>
    </message>
    <message>
        <source>invalid: {message}</source>
        <translation>無效：{message}</translation>
    </message>
    <message>
        <source>spread σ of the per-example offsets δᵢ ~ Normal(0, σ²)</source>
        <translation>各樣本位移 δᵢ ~ Normal(0, σ²) 的分散程度 σ</translation>
    </message>
    <message>
        <source>Each example&apos;s loss is f moved by its offset δᵢ.</source>
        <translation>每個樣本的損失是 f 平移它自己的位移 δᵢ。</translation>
    </message>
</context>
<context>
    <name>UpdateRulesDialog</name>
    <message>
        <source>Update rules — Descent Lab</source>
        <translation>更新規則 — Descent Lab</translation>
    </message>
</context>
<context>
    <name>ViewPanel</name>
    <message>
        <source>Show</source>
        <translation>顯示</translation>
    </message>
    <message>
        <source>step vectors λm, −ηg, m</source>
        <translation>更新向量 λm、−ηg、m</translation>
    </message>
    <message>
        <source>the selected run&apos;s update drawn tip to tail on the contour map</source>
        <translation>在等高線圖上以首尾相接畫出選取路徑的更新</translation>
    </message>
    <message>
        <source>Hessian eigenvectors</source>
        <translation>Hessian 特徵向量</translation>
    </message>
    <message>
        <source>eigen-directions of ∇²L at the selected run&apos;s θ; red: negative curvature (the escape direction at a saddle)</source>
        <translation>選取路徑 θ 處 ∇²L 的特徵方向；紅色：負曲率（在鞍點的逃離方向）</translation>
    </message>
    <message>
        <source>batch loss L_b</source>
        <translation>批次損失 L_b</translation>
    </message>
    <message>
        <source>the contour map shows the loss of the selected run&apos;s current mini-batch: the loss its update really follows</source>
        <translation>等高線圖顯示選取路徑目前小批次的損失：也就是它的更新真正沿著走的損失</translation>
    </message>
    <message>
        <source>η_t on the loss plot</source>
        <translation>在損失圖上顯示 η_t</translation>
    </message>
    <message>
        <source>every run&apos;s learning rate η_t per update on a second axis of the loss plot (dashed)</source>
        <translation>每條路徑每次更新的學習率 η_t，畫在損失圖的第二個座標軸上（虛線）</translation>
    </message>
    <message>
        <source>testing loss</source>
        <translation>測試損失</translation>
    </message>
    <message>
        <source>the contour map shows the training loss shifted a little: flat minima stay low, sharp minima do not</source>
        <translation>等高線圖顯示稍微平移後的訓練損失：盆地（平坦的最小值）仍然低，峽谷（尖銳的最小值）則不然</translation>
    </message>
    <message>
        <source>points per axis of the surface grid (finer is slower to draw)</source>
        <translation>曲面網格每軸的點數（越細畫得越慢）</translation>
    </message>
    <message>
        <source>grid</source>
        <translation>網格</translation>
    </message>
</context>
<context>
    <name>basins</name>
    <message>
        <source>momentum λ = 0.9</source>
        <extracomment>One muted colour per minimum (index = label), distinct from the run palette and readable over the ``cividis`` surface. Starts whose run ends near no minimum, and starts whose run diverges. Opacity of the basin colours over the surface, and of unchanged starts in compare mode. Default starts per side of the grid.</extracomment>
        <translation>動量 λ = 0.9</translation>
    </message>
</context>
<context>
    <name>help</name>
    <message>
        <source>&lt;h3&gt;Descent Lab&lt;/h3&gt;&lt;p&gt;See why mini-batches and momentum make neural networks trainable: optimizer paths on a 3D loss surface and a contour map, update by update.&lt;/p&gt;&lt;p&gt;After Hung-yi Lee, &lt;i&gt;Machine Learning 2022 Spring&lt;/i&gt; (NTU), “When a neural network won&apos;t train (2): batch and momentum”.&lt;/p&gt;&lt;p&gt;Built with PySide6, pyqtgraph and NumPy. MIT licence.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Descent Lab&lt;/h3&gt;&lt;p&gt;看看為什麼小批次與動量讓類神經網路訓練得起來：在 3D 損失曲面與等高線圖上，一次一次更新地看最佳化器的路徑。&lt;/p&gt;&lt;p&gt;取材自李宏毅《機器學習 2022 春》（臺大）「類神經網路訓練不起來怎麼辦 (二)：批次 (batch) 與動量 (momentum)」。&lt;/p&gt;&lt;p&gt;以 PySide6、pyqtgraph 與 NumPy 製作。MIT 授權。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>
&lt;h2&gt;The update rules&lt;/h2&gt;
&lt;p&gt;Notation of the lecture: θ the parameters, L the loss, g = ∇L&lt;sub&gt;b&lt;/sub&gt;(θ) the gradient of
the loss of one mini-batch b, η the learning rate, λ the momentum, m the movement. Update t turns
θ&lt;sup&gt;t−1&lt;/sup&gt; into θ&lt;sup&gt;t&lt;/sup&gt; using the gradient g&lt;sup&gt;t−1&lt;/sup&gt; at the point it starts
from.&lt;/p&gt;
&lt;h3&gt;Batches and epochs&lt;/h3&gt;
&lt;p&gt;The N examples are shuffled before every epoch and split into batches of size B; one epoch is
every batch once: ⌈N / B⌉ updates. Each update follows the loss of its own batch,
L&lt;sub&gt;b&lt;/sub&gt;(θ) = (1/|b|) Σ&lt;sub&gt;i∈b&lt;/sub&gt; ℓ&lt;sub&gt;i&lt;/sub&gt;(θ) — a different loss every time,
which is why small batches do not stop where ∇L = 0.&lt;/p&gt;
&lt;h3&gt;Critical points&lt;/h3&gt;
&lt;p&gt;Where g = 0 the Hessian H = ∇²L decides: all eigenvalues &amp;gt; 0 → local minimum; both signs →
saddle point, which can be escaped along an eigenvector of a negative eigenvalue.&lt;/p&gt;
</source>
        <translation>
&lt;h2&gt;更新規則&lt;/h2&gt;
&lt;p&gt;課程的符號：θ 參數，L 損失，g = ∇L&lt;sub&gt;b&lt;/sub&gt;(θ) 一個小批次 b 的損失的梯度，η 學習率，λ 動量，m 移動量。第 t 次更新用出發點的梯度 g&lt;sup&gt;t−1&lt;/sup&gt;，把 θ&lt;sup&gt;t−1&lt;/sup&gt; 變成 θ&lt;sup&gt;t&lt;/sup&gt;。&lt;/p&gt;
&lt;h3&gt;批次與 Epoch&lt;/h3&gt;
&lt;p&gt;每個 Epoch 開始前先把 N 個樣本 shuffle，再分成大小為 B 的批次；一個 Epoch 就是每個批次都看過一遍：⌈N / B⌉ 次更新。每次更新沿著自己那個批次的損失走，L&lt;sub&gt;b&lt;/sub&gt;(θ) = (1/|b|) Σ&lt;sub&gt;i∈b&lt;/sub&gt; ℓ&lt;sub&gt;i&lt;/sub&gt;(θ)——每次都是不同的損失，所以小批次不會停在 ∇L = 0 的地方。&lt;/p&gt;
&lt;h3&gt;臨界點&lt;/h3&gt;
&lt;p&gt;在 g = 0 的地方由 Hessian H = ∇²L 決定：特徵值全都 &amp;gt; 0 → 局部最小值；有正有負 → 鞍點，可以沿負特徵值的特徵向量逃離。&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>defaults: {values}</source>
        <translation>預設值：{values}</translation>
    </message>
</context>
<context>
    <name>lessons</name>
    <message>
        <source>Lesson {number}</source>
        <extracomment>the lesson&apos;s title and text in the window&apos;s language</extracomment>
        <translation>第 {number} 課</translation>
    </message>
    <message>
        <source>What to watch</source>
        <translation>觀察重點</translation>
    </message>
    <message>
        <source>Measured on this computer just now</source>
        <translation>剛剛在這台電腦上測得</translation>
    </message>
    <message>
        <source>{measured} ({status})</source>
        <translation>{measured}（{status}）</translation>
    </message>
    <message>
        <source>Movement as a sum of all past gradients</source>
        <translation>移動量是過去所有梯度的加權和</translation>
    </message>
    <message>
        <source>Gradient descent is momentum with λ = 0: {m} = −η {g}, every older gradient has weight 0 — the step forgets the past.</source>
        <translation>梯度下降就是 λ = 0 的動量：{m} = −η {g}，更早的梯度權重都是 0——這一步忘記了過去。</translation>
    </message>
    <message>
        <source>gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>權重</translation>
    </message>
    <message>
        <source>sum = {m}</source>
        <translation>總和 = {m}</translation>
    </message>
    <message>
        <source>recorded {step}</source>
        <translation>記錄的 {step}</translation>
    </message>
    <message>
        <source>The {n} oldest terms are summed in one row.</source>
        <translation>最舊的 {n} 項合併在同一列。</translation>
    </message>
    <message>
        <source> (escaped)</source>
        <translation>（已逃離）</translation>
    </message>
</context>
<context>
    <name>overlay</name>
    <message>
        <source>update {t} / {T}</source>
        <extracomment>The overlay&apos;s font (DejaVu Sans has θ, η, λ and the subscripts).</extracomment>
        <translation>更新 {t} / {T}</translation>
    </message>
    <message>
        <source>epoch 0</source>
        <translation>Epoch 0</translation>
    </message>
    <message>
        <source>epoch {k}</source>
        <translation>Epoch {k}</translation>
    </message>
    <message>
        <source>epoch {e} · {b}/{n}</source>
        <translation>Epoch {e} · {b}/{n}</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>發散</translation>
    </message>
    <message>
        <source>stopped at {n}</source>
        <translation>停在第 {n} 次</translation>
    </message>
    <message>
        <source>height: L(a, b) on the plane; paths at their own L(θᵗ)</source>
        <extracomment>The 3D view&apos;s caption over the plane (the window translates it in the context &quot;overlay&quot;).</extracomment>
        <translation>高度：平面上的 L(a, b)；路徑畫在它們自己的 L(θᵗ)</translation>
    </message>
    <message>
        <source>a (along d₁)</source>
        <translation>a（沿 d₁）</translation>
    </message>
    <message>
        <source>b (along d₂)</source>
        <translation>b（沿 d₂）</translation>
    </message>
    <message>
        <source>PCA plane</source>
        <translation>PCA 平面</translation>
    </message>
    <message>
        <source>plane through θ⁰ and two end points</source>
        <translation>通過 θ⁰ 與兩個終點的平面</translation>
    </message>
    <message>
        <source>update {t} / {T} · {kind}, paths projected</source>
        <translation>更新 {t} / {T} · {kind}，路徑為投影</translation>
    </message>
    <message>
        <source>epoch {e} + {b}/{n}</source>
        <translation>Epoch {e} + {b}/{n}</translation>
    </message>
    <message>
        <source>acc={a}</source>
        <translation>正確率={a}</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已結束</translation>
    </message>
    <message>
        <source>{n} runs ({sizes}) on {plane}</source>
        <translation>{n} 次訓練（{sizes}），在{plane}上</translation>
    </message>
</context>
<context>
    <name>run</name>
    <message>
        <source>stopped at {where_key} θ = ({x}, {y}): ‖∇L‖ = {gnorm} after {steps} updates; {eig_key}{note_key}</source>
        <extracomment>The languages of the window: code → its own name (as the View → Language menu shows it). The ``QSettings`` key of the language chosen in View → Language. Fonts with Traditional Chinese glyphs, best first (Debian: fonts-noto-cjk). The context of the texts ``core`` shows in the window (:func:`core_texts`).</extracomment>
        <translation>停在{where_key} θ = ({x}, {y})：{steps} 次更新後 ‖∇L‖ = {gnorm}；{eig_key}{note_key}</translation>
    </message>
    <message>
        <source>Hessian eigenvalues λ₁ = {l1}, λ₂ = {l2}</source>
        <translation>Hessian 的特徵值 λ₁ = {l1}，λ₂ = {l2}</translation>
    </message>
    <message>
        <source>the Hessian is not finite</source>
        <translation>Hessian 不是有限值</translation>
    </message>
    <message>
        <source> (L decreases along the eigenvector of λ₁ &lt; 0)</source>
        <translation>（沿 λ₁ &lt; 0 的特徵向量 L 會下降）</translation>
    </message>
    <message>
        <source> (an eigenvalue ≈ 0: the Hessian cannot tell its kind)</source>
        <translation>（有一個特徵值 ≈ 0：Hessian 無法判斷它的種類）</translation>
    </message>
    <message>
        <source>a minimum</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>a maximum</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>a saddle point</source>
        <translation>鞍點</translation>
    </message>
    <message>
        <source>a degenerate critical point</source>
        <translation>退化的臨界點</translation>
    </message>
    <message>
        <source>a critical point</source>
        <translation>臨界點</translation>
    </message>
    <message>
        <source>diverged at update {broke}: {why_key} (η = {lr} may be too large); {kept_key}</source>
        <translation>在第 {broke} 次更新發散：{why_key}（學習率 η = {lr} 可能太大）；{kept_key}</translation>
    </message>
    <message>
        <source>|θ| &gt; {bound}</source>
        <translation>|θ| &gt; {bound}</translation>
    </message>
    <message>
        <source>a value overflowed to inf/NaN</source>
        <translation>數值溢位成 inf/NaN</translation>
    </message>
    <message>
        <source>kept updates 0..{last}</source>
        <translation>保留更新 0..{last}</translation>
    </message>
    <message>
        <source>kept only the start</source>
        <translation>只保留起點</translation>
    </message>
</context>
<context>
    <name>tasks</name>
    <message>
        <source>starting…</source>
        <extracomment>Shortest interval between two progress reports sent to the GUI thread (seconds).</extracomment>
        <translation>開始中…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>views</name>
    <message>
        <source>batch loss L_b</source>
        <extracomment>Runs whose plot items the window&apos;s views make per event-loop turn when many runs come at once (a file of 48 runs): each turn stays short and the views show the first runs early. The Hessians of a path are computed this many points at a time (when first shown). Most example-loss evaluations of one batch-loss map (computed on the GUI thread at every update while playing: ~10–20 ms here) or testing-loss map (all N examples). A larger batch gets a coarser grid over the same area.</extracomment>
        <translation>批次損失 L_b</translation>
    </message>
    <message>
        <source>batch loss L_b, update {t} ({listed})</source>
        <translation>批次損失 L_b，第 {t} 次更新（{listed}）</translation>
    </message>
    <message>
        <source>all {n} examples</source>
        <translation>全部 {n} 個樣本</translation>
    </message>
    <message>
        <source>examples {shown}</source>
        <translation>樣本 {shown}</translation>
    </message>
    <message>
        <source>examples {shown}, … ({n} in all)</source>
        <translation>樣本 {shown}, …（共 {n} 個）</translation>
    </message>
    <message>
        <source>testing loss: L shifted by ({dx}, {dy})</source>
        <extracomment>Runs whose plot items the views make per event-loop turn when more are added at once (None: all at once, as the exporter needs). Making 48 runs&apos; items took ~0.5 s in one turn here; the window sets :data:`RUNS_PER_TURN`.</extracomment>
        <translation>測試損失：L 平移 ({dx}, {dy})</translation>
    </message>
    <message>
        <source>local minimum</source>
        <extracomment>Okabe–Ito palette without black, ordered for contrast against ``cividis``. Perceptually uniform, colour-vision-deficiency friendly surface colour map. Hessian eigen-directions: negative curvature (escape direction) and positive curvature. pyqtgraph ``ScatterPlotItem`` symbols per critical-point kind. Unicode glyphs with the same shapes (3D view and legends). Human readable names.</extracomment>
        <translation>局部最小值</translation>
    </message>
    <message>
        <source>saddle point</source>
        <translation>鞍點</translation>
    </message>
    <message>
        <source>local maximum</source>
        <translation>局部最大值</translation>
    </message>
    <message>
        <source>★ minimum   ✕ saddle   ▲ maximum</source>
        <extracomment>Number of contour levels drawn. Items that change only with the surface or a run&apos;s record (image, contour lines, whole paths) keep a device-pixel cache, so an animation frame does not re-rasterize them. A travelled path is drawn in two parts: its completed chunks of ``TRAIL_CHUNK`` updates (cached, re-rasterized once per chunk) and the live tail since the last chunk (at most ``TRAIL_CHUNK`` segments), so a frame repaints only the tails&apos; small region. Step vectors smaller than this factor below a readable length are not drawn.</extracomment>
        <translation>★ 最小值   ✕ 鞍點   ▲ 最大值</translation>
    </message>
    <message>
        <source>drag to move the start point</source>
        <translation>拖曳以移動起點</translation>
    </message>
    <message>
        <source>start of “{run}” — drag to move</source>
        <translation>「{run}」的起點——拖曳以移動</translation>
    </message>
    <message>
        <source>start of “{run}”</source>
        <translation>「{run}」的起點</translation>
    </message>
    <message>
        <source>update t</source>
        <extracomment>Epoch boundaries are drawn only up to this many (more would fill the plot). Up to this many runs the full-loss curves are 2 px wide; with more, 1 px: Qt strokes a wider antialiased line ~8× slower than a 1-px one (48 runs × 400 updates: ~150 ms per repaint of the plot against ~25 ms), and many thin curves overlap less. New data keep the loss plot&apos;s y range while their fitted range fills at least this share of it (see ``LossPlot._fit_range``). Most points of one drawn loss curve (a plot is a few thousand pixels wide at most). A curve whose points sweep its own height more than this many times in all (a noisy mini-batch loss) is drawn without antialiasing: Qt strokes a wide antialiased zigzag as one self-overlapping outline, 0.2–1.2 s per curve of 1,500 updates here (issue 9: the window stalled 8.7 s after a run was duplicated in lesson 5); without, ~10 ms.</extracomment>
        <translation>更新 t</translation>
    </message>
    <message>
        <source>loss L(θ)</source>
        <translation>損失 L(θ)</translation>
    </message>
    <message>
        <source>height ∝ log(1 + (L − Lmin)/s)</source>
        <extracomment>Height of the displayed surface box (world units; the longer x/y side is 2). Paths float this far (world units) above the surface so they are not hidden in it. Target number of wireframe lines per direction.</extracomment>
        <translation>高度 ∝ log(1 + (L − Lmin)/s)</translation>
    </message>
    <message>
        <source>height ∝ L − Lmin</source>
        <translation>高度 ∝ L − Lmin</translation>
    </message>
    <message>
        <source>{scale}, clipped above L = {z}</source>
        <translation>{scale}，L = {z} 以上截斷</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>Gradient descent</source>
        <translation>梯度下降</translation>
    </message>
    <message>
        <source>θᵗ = θᵗ⁻¹ − η gᵗ⁻¹
(gᵗ⁻¹ = ∇L_b(θᵗ⁻¹): the gradient of the batch&apos;s loss at θᵗ⁻¹)</source>
        <translation>θᵗ = θᵗ⁻¹ − η gᵗ⁻¹
（gᵗ⁻¹ = ∇L_b(θᵗ⁻¹)：批次損失在 θᵗ⁻¹ 的梯度）</translation>
    </message>
    <message>
        <source>learning rate: how far each step moves along −g</source>
        <translation>學習率：每一步沿 −g 移動多遠</translation>
    </message>
    <message>
        <source>weight decay: adds wd·θ to the gradient: g ← g + wd·θ (an L2 penalty ½·wd·‖θ‖²)</source>
        <translation>權重衰減：在梯度上加 wd·θ：g ← g + wd·θ（L2 懲罰 ½·wd·‖θ‖²）</translation>
    </message>
    <message>
        <source>Gradient descent + momentum</source>
        <translation>梯度下降 + 動量</translation>
    </message>
    <message>
        <source>m⁰ = 0
mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹
θᵗ = θᵗ⁻¹ + mᵗ
(movement = last movement × λ minus the gradient × η;
 mᵗ = −η Σₖ λᵗ⁻¹⁻ᵏ gᵏ: a weighted sum of all past gradients)</source>
        <translation>m⁰ = 0
mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹
θᵗ = θᵗ⁻¹ + mᵗ
（移動量 = 上一次的移動量 × λ 減去梯度 × η；
 mᵗ = −η Σₖ λᵗ⁻¹⁻ᵏ gᵏ：過去所有梯度的加權和）</translation>
    </message>
    <message>
        <source>momentum λ: the share of the last movement kept in the next one</source>
        <translation>動量 λ：上一次的移動量保留到下一次的比例</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>Nesterov 動量</translation>
    </message>
    <message>
        <source>m⁰ = 0
mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹
θᵗ = θᵗ⁻¹ + λ mᵗ − η gᵗ⁻¹
(the momentum step, then one more λmᵗ: a look ahead along the movement;
 torch: vᵗ = λ vᵗ⁻¹ + gᵗ⁻¹, θᵗ = θᵗ⁻¹ − η(gᵗ⁻¹ + λ vᵗ), m = −η v)</source>
        <translation>m⁰ = 0
mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹
θᵗ = θᵗ⁻¹ + λ mᵗ − η gᵗ⁻¹
（動量的一步，再多走一個 λmᵗ：沿移動方向往前看；
 torch：vᵗ = λ vᵗ⁻¹ + gᵗ⁻¹，θᵗ = θᵗ⁻¹ − η(gᵗ⁻¹ + λ vᵗ)，m = −η v）</translation>
    </message>
    <message>
        <source>momentum λ: the share of the movement kept; the gradient looks ahead</source>
        <translation>動量 λ：移動量保留的比例；梯度往前看一步</translation>
    </message>
    <message>
        <source>Adagrad</source>
        <translation>Adagrad</translation>
    </message>
    <message>
        <source>sᵗ = sᵗ⁻¹ + (gᵗ⁻¹)²            (per coordinate; s⁰ = initial_accumulator_value)
ηₜ = η / (1 + (t−1)·lr_decay)
θᵗ = θᵗ⁻¹ − ηₜ gᵗ⁻¹ / (√sᵗ + ε)
(steep coordinates get small steps, flat ones large steps)</source>
        <translation>sᵗ = sᵗ⁻¹ + (gᵗ⁻¹)²            （逐座標；s⁰ = initial_accumulator_value）
ηₜ = η / (1 + (t−1)·lr_decay)
θᵗ = θᵗ⁻¹ − ηₜ gᵗ⁻¹ / (√sᵗ + ε)
（陡的座標走小步，平的座標走大步）</translation>
    </message>
    <message>
        <source>learning-rate decay: ηₜ = η / (1 + (t−1)·lr_decay)</source>
        <translation>學習率衰減：ηₜ = η / (1 + (t−1)·lr_decay)</translation>
    </message>
    <message>
        <source>added to the denominator so it is never 0</source>
        <translation>加到分母上，讓分母永遠不為 0</translation>
    </message>
    <message>
        <source>starting value s⁰ of the sum of squared gradients</source>
        <translation>梯度平方和的初始值 s⁰</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>σ²ᵗ = α σ²ᵗ⁻¹ + (1−α)(gᵗ⁻¹)²     (per coordinate; σ²⁰ = 0)
σᵗ = √σ²ᵗ + ε                  (centered: ḡᵗ = α ḡᵗ⁻¹ + (1−α) gᵗ⁻¹, σᵗ = √(σ²ᵗ − (ḡᵗ)²) + ε)
θᵗ = θᵗ⁻¹ − η gᵗ⁻¹ / σᵗ
(with momentum λ &gt; 0: bᵗ = λ bᵗ⁻¹ + gᵗ⁻¹/σᵗ, θᵗ = θᵗ⁻¹ − η bᵗ)</source>
        <translation>σ²ᵗ = α σ²ᵗ⁻¹ + (1−α)(gᵗ⁻¹)²     （逐座標；σ²⁰ = 0）
σᵗ = √σ²ᵗ + ε                  （centered：ḡᵗ = α ḡᵗ⁻¹ + (1−α) gᵗ⁻¹，σᵗ = √(σ²ᵗ − (ḡᵗ)²) + ε）
θᵗ = θᵗ⁻¹ − η gᵗ⁻¹ / σᵗ
（動量 λ &gt; 0 時：bᵗ = λ bᵗ⁻¹ + gᵗ⁻¹/σᵗ，θᵗ = θᵗ⁻¹ − η bᵗ）</translation>
    </message>
    <message>
        <source>smoothing constant: σ² keeps the share α of its old value</source>
        <translation>平滑常數：σ² 保留舊值的比例 α</translation>
    </message>
    <message>
        <source>momentum λ applied to the normalised gradient g/σ (0 = none)</source>
        <translation>套用在正規化梯度 g/σ 上的動量 λ（0 = 不用）</translation>
    </message>
    <message>
        <source>divide by the standard deviation of g instead of its root mean square</source>
        <translation>除以 g 的標準差，而不是它的均方根</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>mᵗ = β₁ mᵗ⁻¹ + (1−β₁) gᵗ⁻¹      (momentum: running mean of g)
vᵗ = β₂ vᵗ⁻¹ + (1−β₂)(gᵗ⁻¹)²    (RMSprop: running mean of g²)
m̂ᵗ = mᵗ / (1−β₁ᵗ),  v̂ᵗ = vᵗ / (1−β₂ᵗ)   (bias correction)
θᵗ = θᵗ⁻¹ − η m̂ᵗ / (√v̂ᵗ + ε)
(amsgrad: vᵗ replaced by max(v¹, …, vᵗ))</source>
        <translation>mᵗ = β₁ mᵗ⁻¹ + (1−β₁) gᵗ⁻¹      （動量：g 的移動平均）
vᵗ = β₂ vᵗ⁻¹ + (1−β₂)(gᵗ⁻¹)²    （RMSprop：g² 的移動平均）
m̂ᵗ = mᵗ / (1−β₁ᵗ),  v̂ᵗ = vᵗ / (1−β₂ᵗ)   （偏差修正）
θᵗ = θᵗ⁻¹ − η m̂ᵗ / (√v̂ᵗ + ε)
（amsgrad：vᵗ 改用 max(v¹, …, vᵗ)）</translation>
    </message>
    <message>
        <source>decay of the running mean m of g (the momentum part)</source>
        <translation>g 的移動平均 m 的衰減（動量的部分）</translation>
    </message>
    <message>
        <source>decay of the running mean v of g² (the RMSprop part)</source>
        <translation>g² 的移動平均 v 的衰減（RMSprop 的部分）</translation>
    </message>
    <message>
        <source>divide by the largest v seen so far (AMSGrad)</source>
        <translation>除以目前為止最大的 v（AMSGrad）</translation>
    </message>
    <message>
        <source>AdamW (decoupled weight decay)</source>
        <translation>AdamW（解耦的權重衰減）</translation>
    </message>
    <message>
        <source>θ̃ = θᵗ⁻¹ (1 − η·wd)             (decoupled weight decay)
mᵗ, vᵗ, m̂ᵗ, v̂ᵗ as in Adam (from gᵗ⁻¹ = ∇L_b(θᵗ⁻¹))
θᵗ = θ̃ − η m̂ᵗ / (√v̂ᵗ + ε)</source>
        <translation>θ̃ = θᵗ⁻¹ (1 − η·wd)             （解耦的權重衰減）
mᵗ、vᵗ、m̂ᵗ、v̂ᵗ 同 Adam（由 gᵗ⁻¹ = ∇L_b(θᵗ⁻¹) 算出）
θᵗ = θ̃ − η m̂ᵗ / (√v̂ᵗ + ε)</translation>
    </message>
    <message>
        <source>weight decay: θ shrinks by the factor (1 − η·wd) before each step (decoupled)</source>
        <translation>權重衰減：每一步之前 θ 先乘上 (1 − η·wd) 縮小（解耦）</translation>
    </message>
    <message>
        <source>Bounded saddle</source>
        <translation>有界鞍面</translation>
    </message>
    <message>
        <source>A saddle point at the origin with a minimum on either side: full-batch GD started on the ridge stalls at the saddle (g = 0); noisy mini-batch steps fall off it.</source>
        <translation>原點是鞍點，兩側各有一個最小值：從山脊出發的完整批次 GD 停在鞍點（g = 0）；有雜訊的小批次步伐會從上面掉下來。</translation>
    </message>
    <message>
        <source>spread σ of the per-example offsets δᵢ ~ Normal(0, σ²)</source>
        <translation>各樣本位移 δᵢ ~ Normal(0, σ²) 的分散程度 σ</translation>
    </message>
    <message>
        <source>Ill-conditioned bowl (κ = 10)</source>
        <translation>病態的碗（κ = 10）</translation>
    </message>
    <message>
        <source>L = (x² + κ·y²)/2 with condition number κ = 10: GD zig-zags across the narrow valley, momentum damps the zig-zag.</source>
        <translation>L = (x² + κ·y²)/2，條件數 κ = 10：GD 在狹窄的山谷中來回鋸齒，動量能抑制鋸齒。</translation>
    </message>
    <message>
        <source>Monkey saddle</source>
        <translation>猴鞍</translation>
    </message>
    <message>
        <source>L = x³ − 3xy²: a degenerate saddle (Hessian 0) with three valleys; unbounded below, so runs that leave the plot diverge.</source>
        <translation>L = x³ − 3xy²：有三道山谷的退化鞍點（Hessian 為 0）；沒有下界，離開圖面的路徑會發散。</translation>
    </message>
    <message>
        <source>Plateau around a well</source>
        <translation>井周圍的高原</translation>
    </message>
    <message>
        <source>L = 1 − exp(−(x² + y²)/2): far from the well the loss is flat (g ≈ 0) and GD crawls; momentum keeps the movement of earlier steps.</source>
        <translation>L = 1 − exp(−(x² + y²)/2)：離井遠的地方損失是平的（g ≈ 0），GD 只能慢慢爬；動量保留了先前步伐的移動量。</translation>
    </message>
    <message>
        <source>Rosenbrock</source>
        <translation>Rosenbrock</translation>
    </message>
    <message>
        <source>L = (1 − x)² + 100(y − x²)²: a curved narrow valley; minimum 0 at (1, 1).</source>
        <translation>L = (1 − x)² + 100(y − x²)²：彎曲狹窄的山谷；最小值 0 在 (1, 1)。</translation>
    </message>
    <message>
        <source>Himmelblau</source>
        <translation>Himmelblau</translation>
    </message>
    <message>
        <source>(x² + y − 11)² + (x + y² − 7)²: four minima of equal loss 0.</source>
        <translation>(x² + y − 11)² + (x + y² − 7)²：四個損失同為 0 的最小值。</translation>
    </message>
    <message>
        <source>Beale</source>
        <translation>Beale</translation>
    </message>
    <message>
        <source>(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat ridges and steep walls spanning decades; minimum 0 at (3, 0.5).</source>
        <translation>(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²：平坦的山脊與陡峭的牆，跨越好幾個數量級；最小值 0 在 (3, 0.5)。</translation>
    </message>
    <message>
        <source>Rastrigin</source>
        <translation>Rastrigin</translation>
    </message>
    <message>
        <source>20 + x² − 10cos(2πx) + y² − 10cos(2πy): a bowl covered in local minima; global minimum 0 at the origin.</source>
        <translation>20 + x² − 10cos(2πx) + y² − 10cos(2πy)：布滿局部最小值的碗；全域最小值 0 在原點。</translation>
    </message>
    <message>
        <source>Six-hump camel</source>
        <translation>六峰駝背函數</translation>
    </message>
    <message>
        <source>(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²: six minima, the two global ones −1.0316 at (±0.0898, ∓0.7126).</source>
        <translation>(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²：六個最小值，兩個全域最小值 −1.0316 在 (±0.0898, ∓0.7126)。</translation>
    </message>
    <message>
        <source>Tilted double well</source>
        <translation>傾斜的雙井</translation>
    </message>
    <message>
        <source>L = (x² − 1)² + 0.5x + y²/2: a shallow local minimum near x = +0.93 next to the global one near x = −1.06; GD stops in the first, momentum can roll over the hill.</source>
        <translation>L = (x² − 1)² + 0.5x + y²/2：x = +0.93 附近的淺局部最小值，旁邊是 x = −1.06 附近的全域最小值；GD 停在前者，動量可以滾過小山。</translation>
    </message>
    <message>
        <source>Sharp and flat minima</source>
        <translation>峽谷與盆地（尖銳與平坦的最小值）</translation>
    </message>
    <message>
        <source>A narrow deep canyon (sharp minimum) and a wide shallow basin (flat minimum): shifting the loss a little (the testing loss) lifts the canyon&apos;s minimum a lot.</source>
        <translation>一道狹窄深邃的峽谷（尖銳的最小值）與一個寬廣淺平的盆地（平坦的最小值）：把損失稍微平移（測試損失），峽谷的最小值就會升高很多。</translation>
    </message>
    <message>
        <source>A canyon in the wall of a basin</source>
        <translation>盆地壁上的峽谷</translation>
    </message>
    <message>
        <source>A wide shallow basin (flat minimum at (−1, 0), λ_max ≈ 1) with a narrow deep canyon in its wall (sharp minimum near (0.49, 0.50), λ_max ≈ 67, lower loss): with one η, the full batch stays in the canyon while single-example steps are kicked out of it into the basin.</source>
        <translation>寬廣淺平的盆地（平坦的最小值在 (−1, 0)，λ_max ≈ 1），壁上有一道狹窄深邃的峽谷（尖銳的最小值在 (0.49, 0.50) 附近，λ_max ≈ 67，損失較低）：同一個 η 下，完整批次留在峽谷裡，而一次一個樣本的步伐會被踢出峽谷、進入盆地。</translation>
    </message>
    <message>
        <source>Linear regression</source>
        <translation>線性迴歸</translation>
    </message>
    <message>
        <source>Squared error of ŷ = θ₁·u + θ₂ over N generated examples (u, v): a convex bowl whose minimum is the least-squares fit.</source>
        <translation>ŷ = θ₁·u + θ₂ 在 N 個生成樣本 (u, v) 上的平方誤差：一個凸的碗，最小值就是最小平方擬合。</translation>
    </message>
    <message>
        <source>standard deviation of the label noise in v = 1.5u − 0.5 + noise</source>
        <translation>標籤雜訊的標準差，v = 1.5u − 0.5 + 雜訊</translation>
    </message>
    <message>
        <source>One-neuron network</source>
        <translation>單一神經元網路</translation>
    </message>
    <message>
        <source>Squared error of ŷ = θ₂·tanh(θ₁·u): a saddle at the origin between two symmetric minima — training a tiny network gets stuck near θ = 0.</source>
        <translation>ŷ = θ₂·tanh(θ₁·u) 的平方誤差：原點是鞍點，夾在兩個對稱的最小值之間——訓練小網路時會卡在 θ = 0 附近。</translation>
    </message>
    <message>
        <source>standard deviation of the label noise in v = 1.5·tanh(u) + noise</source>
        <translation>標籤雜訊的標準差，v = 1.5·tanh(u) + 雜訊</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Step decay</source>
        <translation>階梯衰減</translation>
    </message>
    <message>
        <source>Exponential decay</source>
        <translation>指數衰減</translation>
    </message>
    <message>
        <source>Cosine annealing</source>
        <translation>餘弦退火</translation>
    </message>
    <message>
        <source>Warm-up, then cosine</source>
        <translation>暖身後餘弦</translation>
    </message>
    <message>
        <source>small vs large batches</source>
        <translation>小批次與大批次</translation>
    </message>
    <message>
        <source>small batches end in flatter minima</source>
        <translation>小批次停在更平坦的最小值（盆地）</translation>
    </message>
    <message>
        <source>small batches reach a lower training loss</source>
        <translation>小批次達到更低的訓練損失</translation>
    </message>
    <message>
        <source>small batches reach a lower testing loss</source>
        <translation>小批次達到更低的測試損失</translation>
    </message>
    <message>
        <source>a larger η/B ends in the flat minimum more often</source>
        <translation>η/B 越大，越常停在盆地（平坦的最小值）</translation>
    </message>
    <message>
        <source>supported</source>
        <translation>成立</translation>
    </message>
    <message>
        <source>not supported</source>
        <translation>不成立</translation>
    </message>
    <message>
        <source>opposite</source>
        <translation>相反</translation>
    </message>
    <message>
        <source>cannot be shown</source>
        <translation>無法驗證</translation>
    </message>
    <message>
        <source> (&apos;{name}&apos; is not a function; write {name}*(...))</source>
        <translation>（&apos;{name}&apos; 不是函數；請寫成 {name}*(...)）</translation>
    </message>
    <message>
        <source> (allowed names: {names})</source>
        <translation>（可用的名稱：{names}）</translation>
    </message>
    <message>
        <source> (allowed: {names})</source>
        <translation>（可用的函數：{names}）</translation>
    </message>
    <message>
        <source> (implicit multiplication is not supported; write {hint})</source>
        <translation>（不支援省略乘號；請寫成 {hint}）</translation>
    </message>
    <message>
        <source> (it belongs to {names})</source>
        <translation>（它屬於 {names}）</translation>
    </message>
    <message>
        <source> At equal epochs the large batch is not behind.</source>
        <translation>在相同 Epoch 數下，大批次並沒有落後。</translation>
    </message>
    <message>
        <source> The large batch&apos;s gap of {gap_e} at equal epochs is gone at equal updates: it came from making fewer updates.</source>
        <translation>大批次在相同 Epoch 數下落後 {gap_e}，在相同更新次數下則消失：差距來自更新次數較少。</translation>
    </message>
    <message>
        <source> The large batch&apos;s gap of {gap_e} at equal epochs is {gap_u} at equal updates: making as many updates closes {closed} of it.</source>
        <translation>大批次在相同 Epoch 數下落後 {gap_e}，在相同更新次數下落後 {gap_u}：做一樣多次更新，補回了其中的 {closed}。</translation>
    </message>
    <message>
        <source> of {run}</source>
        <translation>（{run}）</translation>
    </message>
    <message>
        <source>&apos;(&apos; was never closed</source>
        <translation>&apos;(&apos; 沒有關閉</translation>
    </message>
    <message>
        <source>&apos;await&apos; is not allowed</source>
        <translation>不允許使用 &apos;await&apos;</translation>
    </message>
    <message>
        <source>&apos;yield&apos; is not allowed</source>
        <translation>不允許使用 &apos;yield&apos;</translation>
    </message>
    <message>
        <source>&apos;{what}&apos; is not allowed</source>
        <translation>不允許使用 &apos;{what}&apos;</translation>
    </message>
    <message>
        <source>: the full batch is {where}</source>
        <translation>：完整批次{where}</translation>
    </message>
    <message>
        <source>; every larger B then makes as many updates as the smallest B made</source>
        <translation>；之後每個較大的 B 都做和最小 B 一樣多次的更新</translation>
    </message>
    <message>
        <source>; smaller batches do NOT all settle lower</source>
        <translation>；較小的批次並「沒有」都停在較低處</translation>
    </message>
    <message>
        <source>; smaller batches settle lower</source>
        <translation>；較小的批次停在較低處</translation>
    </message>
    <message>
        <source>; the edge of stability is {thr}{where}{lower}</source>
        <translation>；穩定邊界為 {thr}{where}{lower}</translation>
    </message>
    <message>
        <source>CIs do not overlap</source>
        <translation>信賴區間不重疊</translation>
    </message>
    <message>
        <source>CIs overlap</source>
        <translation>信賴區間重疊</translation>
    </message>
    <message>
        <source>NO</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Test accuracy, {first} vs {last}: {word} ({a} vs {b}, {ci}).</source>
        <translation>測試正確率，{first} 對 {last}：{word}（{a} 對 {b}，{ci}）。</translation>
    </message>
    <message>
        <source>Test loss: {a} ({first}) vs {b} ({last}).</source>
        <translation>測試損失：{a}（{first}）對 {b}（{last}）。</translation>
    </message>
    <message>
        <source>Updates made: {a} ({first}) vs {b} ({last}) on average.</source>
        <translation>平均更新次數：{a}（{first}）對 {b}（{last}）。</translation>
    </message>
    <message>
        <source>a bool: True/False or 0/1</source>
        <translation>布林值：True/False 或 0/1</translation>
    </message>
    <message>
        <source>a folder</source>
        <translation>是資料夾</translation>
    </message>
    <message>
        <source>above the edge</source>
        <translation>在邊界之上</translation>
    </message>
    <message>
        <source>an integer &gt;= {low}</source>
        <translation>≥ {low} 的整數</translation>
    </message>
    <message>
        <source>assignment expressions (&apos;:=&apos;) are not allowed</source>
        <translation>不允許使用指定運算式（&apos;:=&apos;）</translation>
    </message>
    <message>
        <source>at the edge (within 10 %)</source>
        <translation>就在邊界上（相差 10 % 以內）</translation>
    </message>
    <message>
        <source>at η = {eta}, equal updates: B = {bs} ends in the flat minimum (λ_max = {flat}) in {ff_s} of the seeds and in the sharp one (λ_max = {sharp}) in {fs_s}; B = {bl}: flat {ff_l}, sharp {fs_l}.</source>
        <translation>η = {eta}、相同更新次數：B = {bs} 有 {ff_s} 的種子停在盆地（平坦的最小值，λ_max = {flat}），{fs_s} 停在峽谷（尖銳的最小值，λ_max = {sharp}）；B = {bl}：盆地 {ff_l}，峽谷 {fs_l}。</translation>
    </message>
    <message>
        <source>attribute access is not allowed</source>
        <translation>不允許存取屬性</translation>
    </message>
    <message>
        <source>batch size must be in 1..{n} (N = {n}) (got {value})</source>
        <translation>批次大小必須在 1..{n} 之間（N = {n}）（輸入的是 {value}）</translation>
    </message>
    <message>
        <source>batch size {value} is listed twice</source>
        <translation>批次大小 {value} 重複列出了兩次</translation>
    </message>
    <message>
        <source>batch {b}</source>
        <translation>批次 {b}</translation>
    </message>
    <message>
        <source>below the edge</source>
        <translation>在邊界之下</translation>
    </message>
    <message>
        <source>boolean operators (&apos;and&apos;, &apos;or&apos;) are not allowed</source>
        <translation>不允許使用布林運算子（&apos;and&apos;、&apos;or&apos;）</translation>
    </message>
    <message>
        <source>boolean value &apos;{value}&apos; is not allowed</source>
        <translation>不允許使用布林值 &apos;{value}&apos;</translation>
    </message>
    <message>
        <source>comments (&apos;#&apos;) are not allowed</source>
        <translation>不允許使用註解（&apos;#&apos;）</translation>
    </message>
    <message>
        <source>comparisons are not allowed</source>
        <translation>不允許使用比較運算</translation>
    </message>
    <message>
        <source>complex numbers are not allowed</source>
        <translation>不允許使用複數</translation>
    </message>
    <message>
        <source>comprehensions are not allowed</source>
        <translation>不允許使用推導式（comprehension）</translation>
    </message>
    <message>
        <source>conditional expressions (&apos;if ... else&apos;) are not allowed</source>
        <translation>不允許使用條件運算式（&apos;if ... else&apos;）</translation>
    </message>
    <message>
        <source>degenerate</source>
        <translation>退化點</translation>
    </message>
    <message>
        <source>dictionaries are not allowed</source>
        <translation>不允許使用字典</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>發散</translation>
    </message>
    <message>
        <source>epoch limit</source>
        <translation>到達 Epoch 上限</translation>
    </message>
    <message>
        <source>expected an expression, got an empty string</source>
        <translation>需要一個運算式，但輸入是空的</translation>
    </message>
    <message>
        <source>expression is nested too deeply (more than {n} levels)</source>
        <translation>運算式巢狀太深（超過 {n} 層）</translation>
    </message>
    <message>
        <source>expression is too large (more than {n} elements)</source>
        <translation>運算式太大（超過 {n} 個元素）</translation>
    </message>
    <message>
        <source>expression is too long ({n} characters; the maximum is {most})</source>
        <translation>運算式太長（{n} 個字元；上限是 {most}）</translation>
    </message>
    <message>
        <source>f-strings are not allowed</source>
        <translation>不允許使用 f-string</translation>
    </message>
    <message>
        <source>for {n} epochs</source>
        <translation>{n} 個 Epoch</translation>
    </message>
    <message>
        <source>for {n} updates</source>
        <translation>更新 {n} 次</translation>
    </message>
    <message>
        <source>full batch</source>
        <translation>完整批次</translation>
    </message>
    <message>
        <source>full batch GD</source>
        <translation>完整批次 GD</translation>
    </message>
    <message>
        <source>function &apos;{name}&apos; is not allowed</source>
        <translation>不允許使用函數 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>function &apos;{name}&apos; must be called with one argument, e.g. {name}(x),</source>
        <translation>函數 &apos;{name}&apos; 必須帶一個引數呼叫，例如 {name}(x)，</translation>
    </message>
    <message>
        <source>function &apos;{name}&apos; takes exactly one argument (got {n})</source>
        <translation>函數 &apos;{name}&apos; 只接受一個引數（輸入了 {n} 個）</translation>
    </message>
    <message>
        <source>give a comma-separated list such as 1,2,5,10,20</source>
        <translation>請輸入以逗號分隔的清單，例如 1,2,5,10,20</translation>
    </message>
    <message>
        <source>give a list such as 16,128,full</source>
        <translation>請輸入清單，例如 16,128,full</translation>
    </message>
    <message>
        <source>give at least one batch size</source>
        <translation>請至少輸入一個批次大小</translation>
    </message>
    <message>
        <source>give sizes in 1..4096 such as 32 or 64,32 (got {got})</source>
        <translation>請輸入 1..4096 之間的大小，例如 32 或 64,32（輸入的是 {got}）</translation>
    </message>
    <message>
        <source>in {interval}</source>
        <translation>在 {interval} 之內</translation>
    </message>
    <message>
        <source>indexing (&apos;[...]&apos;) is not allowed</source>
        <translation>不允許使用索引（&apos;[...]&apos;）</translation>
    </message>
    <message>
        <source>invalid TOML: {detail}</source>
        <translation>不是有效的 TOML：{detail}</translation>
    </message>
    <message>
        <source>invalid character {code}</source>
        <translation>無效的字元 {code}</translation>
    </message>
    <message>
        <source>invalid decimal literal</source>
        <translation>無效的十進位數字</translation>
    </message>
    <message>
        <source>invalid syntax</source>
        <translation>語法錯誤</translation>
    </message>
    <message>
        <source>invalid syntax (missing operator?)</source>
        <translation>語法錯誤（少了運算子？）</translation>
    </message>
    <message>
        <source>keyword arguments are not allowed</source>
        <translation>不允許使用關鍵字引數</translation>
    </message>
    <message>
        <source>kind: must be one of {kinds} (got {value})</source>
        <translation>kind：必須是 {kinds} 之一（實際 {value}）</translation>
    </message>
    <message>
        <source>lambda functions are not allowed</source>
        <translation>不允許使用 lambda 函數</translation>
    </message>
    <message>
        <source>lists are not allowed</source>
        <translation>不允許使用串列</translation>
    </message>
    <message>
        <source>loss along the line between the end points</source>
        <translation>兩個終點之間直線上的損失</translation>
    </message>
    <message>
        <source>loss target reached</source>
        <translation>達到損失目標</translation>
    </message>
    <message>
        <source>maximum</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>median final L(θ) at equal updates ({updates_s}): B = {bs} {ls}, B = {bl} {ll} (B = {bs} lower in {share} of the seed pairs); at equal epochs ({epochs}: B = {bl} makes {updates_l}): B = {bs} {es}, B = {bl} {el}.{gap}</source>
        <translation>相同更新次數（{updates_s}）下最終 L(θ) 的中位數：B = {bs} 為 {ls}，B = {bl} 為 {ll}（在 {share} 的種子配對中 B = {bs} 較低）；相同 Epoch 數（{epochs}：B = {bl} 做了 {updates_l}）下：B = {bs} 為 {es}，B = {bl} 為 {el}。{gap}</translation>
    </message>
    <message>
        <source>median testing loss L(θ − s) at equal updates: B = {bs} {ts}, B = {bl} {tl} (B = {bs} lower in {share} of the seed pairs).</source>
        <translation>相同更新次數下測試損失 L(θ − s) 的中位數：B = {bs} 為 {ts}，B = {bl} 為 {tl}（在 {share} 的種子配對中 B = {bs} 較低）。</translation>
    </message>
    <message>
        <source>minimum</source>
        <translation>局部最小值</translation>
    </message>
    <message>
        <source>missing operator before &apos;(&apos;</source>
        <translation>&apos;(&apos; 前面少了運算子</translation>
    </message>
    <message>
        <source>missing operator between &apos;{a}&apos; and &apos;{b}&apos;</source>
        <translation>&apos;{a}&apos; 和 &apos;{b}&apos; 之間少了運算子</translation>
    </message>
    <message>
        <source>momentum λ={lam}, {which}</source>
        <translation>動量 λ={lam}，{which}</translation>
    </message>
    <message>
        <source>mostly (not at every step)</source>
        <translation>大致是（並非每一步都是）</translation>
    </message>
    <message>
        <source>must be {range} (got {value})</source>
        <translation>必須{range}（實際 {value}）</translation>
    </message>
    <message>
        <source>no clear difference: {detail}</source>
        <translation>沒有明顯差異：{detail}</translation>
    </message>
    <message>
        <source>no difference: {detail}</source>
        <translation>沒有差異：{detail}</translation>
    </message>
    <message>
        <source>no run chooses between a flat and a sharp minimum.</source>
        <translation>沒有任何路徑在盆地與峽谷（平坦與尖銳的最小值）之間做選擇。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>無</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>不是一般檔案</translation>
    </message>
    <message>
        <source>not critical</source>
        <translation>不是臨界點</translation>
    </message>
    <message>
        <source>one seed: no confidence interval</source>
        <translation>只有一個種子：沒有信賴區間</translation>
    </message>
    <message>
        <source>operator &apos;{symbol}&apos; is not allowed</source>
        <translation>不允許使用運算子 &apos;{symbol}&apos;</translation>
    </message>
    <message>
        <source>rank correlation between η/B and the share ending flat over {n} (η, B) pairs: ρ = {rho}.</source>
        <translation>在 {n} 組 (η, B) 中，η/B 與停在盆地的比例之間的等級相關：ρ = {rho}。</translation>
    </message>
    <message>
        <source>run {run}: {why}</source>
        <translation>路徑 {run}：{why}</translation>
    </message>
    <message>
        <source>runs: at most {most} runs (got {n})</source>
        <translation>runs：最多 {most} 條路徑（實際 {n}）</translation>
    </message>
    <message>
        <source>runs: at most {most} updates over all runs (got {n}; the record takes about 100 bytes per update)</source>
        <translation>runs：所有路徑合計最多 {most} 次更新（實際 {n}；每次更新的紀錄約佔 100 位元組）</translation>
    </message>
    <message>
        <source>runs: must be an array of tables ([[runs]])</source>
        <translation>runs：必須是表格陣列（[[runs]]）</translation>
    </message>
    <message>
        <source>sets are not allowed</source>
        <translation>不允許使用集合</translation>
    </message>
    <message>
        <source>slices are not allowed</source>
        <translation>不允許使用切片</translation>
    </message>
    <message>
        <source>small batches ARE better here, as in the lecture</source>
        <translation>小批次在這裡「確實」比較好，和課程所說的一樣</translation>
    </message>
    <message>
        <source>small batches are NOT better here — the lecture&apos;s table (Keskar et al.: small batches test better) is not seen in these numbers</source>
        <translation>小批次在這裡「沒有」比較好——這些數字看不出課程中的表格（Keskar 等人：小批次的測試結果較好）</translation>
    </message>
    <message>
        <source>small batches are NOT better here: the large batch is clearly better — the opposite of the lecture&apos;s table (Keskar et al.)</source>
        <translation>小批次在這裡「沒有」比較好：大批次明顯較好——和課程中的表格（Keskar 等人）相反</translation>
    </message>
    <message>
        <source>small batches are slightly better here, but not clearly (the difference is within the noise of the seeds)</source>
        <translation>小批次在這裡稍微好一點，但不明顯（差異在種子造成的雜訊範圍內）</translation>
    </message>
    <message>
        <source>some batch size has no finite end (every seed diverged).</source>
        <translation>有某個批次大小沒有有限的終點（每個種子都發散了）。</translation>
    </message>
    <message>
        <source>some batch size has no finite end.</source>
        <translation>有某個批次大小沒有有限的終點。</translation>
    </message>
    <message>
        <source>starred arguments (&apos;*&apos;) are not allowed</source>
        <translation>不允許使用星號引數（&apos;*&apos;）</translation>
    </message>
    <message>
        <source>starred expressions (&apos;*&apos;) are not allowed</source>
        <translation>不允許使用星號運算式（&apos;*&apos;）</translation>
    </message>
    <message>
        <source>strings are not allowed</source>
        <translation>不允許使用字串</translation>
    </message>
    <message>
        <source>surface.condition: only the &apos;quadratic&apos; surface has a condition</source>
        <translation>surface.condition：只有 &apos;quadratic&apos; 曲面有條件數</translation>
    </message>
    <message>
        <source>surface.expression: {why}</source>
        <translation>surface.expression：{why}</translation>
    </message>
    <message>
        <source>surface.name: unknown surface {name} (built-ins: {names})</source>
        <translation>surface.name：未知的曲面 {name}（內建：{names}）</translation>
    </message>
    <message>
        <source>surface: give either name or expression, not both</source>
        <translation>surface：name 與 expression 只能給一個，不能兩個都給</translation>
    </message>
    <message>
        <source>syntax error at column {column}: {message}</source>
        <translation>第 {column} 欄語法錯誤：{message}</translation>
    </message>
    <message>
        <source>the large batch ends flat more often: {detail}</source>
        <translation>大批次更常停在盆地：{detail}</translation>
    </message>
    <message>
        <source>the large batch ends lower: {detail}</source>
        <translation>大批次停得較低：{detail}</translation>
    </message>
    <message>
        <source>the large batch&apos;s testing loss is lower: {detail}</source>
        <translation>大批次的測試損失較低：{detail}</translation>
    </message>
    <message>
        <source>the learning rate η must be &gt; 0 (got {got})</source>
        <translation>學習率 η 必須 &gt; 0（輸入的是 {got}）</translation>
    </message>
    <message>
        <source>the loss is not finite at the start θ = ({x}, {y}) (L = {loss})</source>
        <translation>起點 θ = ({x}, {y}) 的損失不是有限值（L = {loss}）</translation>
    </message>
    <message>
        <source>the plane through the end point θ_final{label} spanned by the first two PCA directions of θᵗ − θ_final ({p1} and {p2} of the path&apos;s variation)</source>
        <translation>通過終點 θ_final{label}、由 θᵗ − θ_final 的前兩個 PCA 方向張成的平面（占路徑變化的 {p1} 與 {p2}）</translation>
    </message>
    <message>
        <source>the plane through the start θ⁰ (at (0, 0)) and the end points of {a} (on the a axis) and {b}</source>
        <translation>通過起點 θ⁰（在 (0, 0)）以及 {a}（在 a 軸上）與 {b} 的終點的平面</translation>
    </message>
    <message>
        <source>the runs end in {n} minima, all about as sharp (λ_max = {lams}): none is flatter than another</source>
        <translation>路徑停在 {n} 個最小值，尖銳程度都差不多（λ_max = {lams}）：沒有哪一個比較平坦</translation>
    </message>
    <message>
        <source>the scenario has no testing loss (no test_shift in its [view]).</source>
        <translation>這個情境沒有測試損失（它的 [view] 沒有 test_shift）。</translation>
    </message>
    <message>
        <source>the share ending flat is the same ({share}) for every η/B tried.</source>
        <translation>每個試過的 η/B 停在盆地的比例都一樣（{share}）。</translation>
    </message>
    <message>
        <source>the start θ = ({x}, {y}) is not finite</source>
        <translation>起點 θ = ({x}, {y}) 不是有限值</translation>
    </message>
    <message>
        <source>the start θ = ({x}, {y}) lies outside the divergence bound |θ₁|, |θ₂| ≤ {bound} ({factor} × the display range&apos;s largest |coordinate|; L there = {loss})</source>
        <translation>起點 θ = ({x}, {y}) 在發散界限 |θ₁|, |θ₂| ≤ {bound} 之外（顯示範圍最大 |座標| 的 {factor} 倍；那裡的 L = {loss}）</translation>
    </message>
    <message>
        <source>the study has one batch size only: give two or more.</source>
        <translation>這項研究只有一個批次大小：請給兩個以上。</translation>
    </message>
    <message>
        <source>the surface has only one minimum (λ_max = {lam}): there is no flat and sharp minimum to choose between</source>
        <translation>這個曲面只有一個最小值（λ_max = {lam}）：沒有盆地與峽谷可供選擇</translation>
    </message>
    <message>
        <source>the surface has only one minimum: there is no flat and sharp minimum to choose between</source>
        <translation>這個曲面只有一個最小值：沒有盆地與峽谷可供選擇</translation>
    </message>
    <message>
        <source>tuples are not allowed (is there a &apos;,&apos; outside a function call?)</source>
        <translation>不允許使用元組（函數呼叫之外是否多了 &apos;,&apos;？）</translation>
    </message>
    <message>
        <source>unexpected end of expression</source>
        <translation>運算式意外結束</translation>
    </message>
    <message>
        <source>unknown name &apos;{name}&apos;</source>
        <translation>未知的名稱 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>unmatched &apos;)&apos;</source>
        <translation>多了一個 &apos;)&apos;</translation>
    </message>
    <message>
        <source>until the training loss ≤ {loss} (at most {epochs} epochs)</source>
        <translation>直到訓練損失 ≤ {loss}（最多 {epochs} 個 Epoch）</translation>
    </message>
    <message>
        <source>update limit</source>
        <translation>到達更新次數上限</translation>
    </message>
    <message>
        <source>use ** for powers (&apos;^&apos; is not allowed)</source>
        <translation>次方請用 **（不允許使用 &apos;^&apos;）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>{item} is not a whole number</source>
        <translation>{item} 不是整數</translation>
    </message>
    <message>
        <source>{item} is not a whole number (give a comma-separated list such as 1,2,5,10,20)</source>
        <translation>{item} 不是整數（請輸入以逗號分隔的清單，例如 1,2,5,10,20）</translation>
    </message>
    <message>
        <source>{layers} ({activation}, loss {loss}), {opt}; B ∈ {{{sizes}}}, {seeds}; trained {stop}{same}</source>
        <translation>{layers}（{activation}，損失 {loss}），{opt}；B ∈ {{{sizes}}}，{seeds}；訓練方式：{stop}{same}</translation>
    </message>
    <message>
        <source>{message} at column {column}{suffix}</source>
        <translation>第 {column} 欄：{message}{suffix}</translation>
    </message>
    <message>
        <source>{missed} of {runs} runs did not reach the training-loss target {target} (stopped: {stops}): their end points are not equally trained.</source>
        <translation>{runs} 次訓練中有 {missed} 次沒有達到訓練損失目標 {target}（停止原因：{stops}）：它們的終點訓練程度並不相同。</translation>
    </message>
    <message>
        <source>{name}: no such file or built-in scenario (built-ins: {names})</source>
        <translation>{name}：沒有這個檔案，也沒有這個內建情境（內建情境：{names}）</translation>
    </message>
    <message>
        <source>{name}: not a parameter of the {kind} schedule (allowed: {allowed})</source>
        <translation>{name}：不是 {kind} 排程的參數（允許：{allowed}）</translation>
    </message>
    <message>
        <source>{n} minima were found, but every run that ends in a minimum ends in the same one: no run shows a choice between a flat and a sharp minimum</source>
        <translation>找到了 {n} 個最小值，但每條停在最小值的路徑都停在同一個：沒有路徑顯示出盆地與峽谷之間的選擇</translation>
    </message>
    <message>
        <source>{n} seed</source>
        <translation>{n} 個種子</translation>
    </message>
    <message>
        <source>{n} seeds</source>
        <translation>{n} 個種子</translation>
    </message>
    <message>
        <source>{n} update</source>
        <translation>{n} 次更新</translation>
    </message>
    <message>
        <source>{n} updates</source>
        <translation>{n} 次更新</translation>
    </message>
    <message>
        <source>{optimizer}, {which}</source>
        <translation>{optimizer}，{which}</translation>
    </message>
    <message>
        <source>{path}: a binary file, not a scenario (TOML text) file</source>
        <translation>{path}：這是二進位檔，不是情境（TOML 文字）檔</translation>
    </message>
    <message>
        <source>{path}: cannot read ({why})</source>
        <translation>{path}：無法讀取（{why}）</translation>
    </message>
    <message>
        <source>{path}: is not a file ({kind})</source>
        <translation>{path}：不是檔案（{kind}）</translation>
    </message>
    <message>
        <source>{path}: not a UTF-8 text file</source>
        <translation>{path}：不是 UTF-8 文字檔</translation>
    </message>
    <message>
        <source>{path}: too large for a scenario file (more than {most} bytes)</source>
        <translation>{path}：對情境檔來說太大了（超過 {most} 位元組）</translation>
    </message>
    <message>
        <source>{path}: too large for a scenario file ({size} bytes; at most {most})</source>
        <translation>{path}：對情境檔來說太大了（{size} 位元組；上限 {most}）</translation>
    </message>
    <message>
        <source>{reason}.</source>
        <translation>{reason}。</translation>
    </message>
    <message>
        <source>{run}: sharpness λ_max and φ(ε)</source>
        <translation>{run}：尖銳度 λ_max 與 φ(ε)</translation>
    </message>
    <message>
        <source>{run}: training</source>
        <translation>{run}：訓練中</translation>
    </message>
    <message>
        <source>{run}: update {t}, epoch {epoch}, loss {loss}</source>
        <translation>{run}：更新 {t}，Epoch {epoch}，損失 {loss}</translation>
    </message>
    <message>
        <source>{size} (seed {seed})</source>
        <translation>{size}（種子 {seed}）</translation>
    </message>
    <message>
        <source>{size}, seed {seed}</source>
        <translation>{size}，種子 {seed}</translation>
    </message>
    <message>
        <source>{where}.batch_size: must be in 1..{n} (N = {n}) or &quot;full&quot; (got {value})</source>
        <translation>{where}.batch_size：必須在 1..{n} 之內（N = {n}）或是 &quot;full&quot;（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}.color: must be a colour like &quot;#1f77b4&quot; (got {value})</source>
        <translation>{where}.color：必須是像 &quot;#1f77b4&quot; 這樣的顏色（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}.optimizer: unknown optimizer {name} (choose {names})</source>
        <translation>{where}.optimizer：未知的最佳化器 {name}（可選 {names}）</translation>
    </message>
    <message>
        <source>{where}.schedule.{why}</source>
        <translation>{where}.schedule.{why}</translation>
    </message>
    <message>
        <source>{where}: must be [[xmin, xmax], [ymin, ymax]] (got {value})</source>
        <translation>{where}：必須是 [[xmin, xmax], [ymin, ymax]]（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}: must be a number (got {type} {value})</source>
        <translation>{where}：必須是數字（實際是 {type} {value}）</translation>
    </message>
    <message>
        <source>{where}: must be a pair [x, y] of numbers (got {value})</source>
        <translation>{where}：必須是一對數字 [x, y]（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}: must be a table (got {type})</source>
        <translation>{where}：必須是表格（實際是 {type}）</translation>
    </message>
    <message>
        <source>{where}: must be a whole number in {low}..{high} (got {value})</source>
        <translation>{where}：必須是 {low}..{high} 之間的整數（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}: must be at most {most} characters (got {n})</source>
        <translation>{where}：最多 {most} 個字元（實際 {n}）</translation>
    </message>
    <message>
        <source>{where}: must be finite (got {value})</source>
        <translation>{where}：必須是有限值（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}: must be in {interval} (got {value})</source>
        <translation>{where}：必須在 {interval} 之內（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}: must be text (got {type} {value})</source>
        <translation>{where}：必須是文字（實際是 {type} {value}）</translation>
    </message>
    <message>
        <source>{where}: must be true or false (got {value})</source>
        <translation>{where}：必須是 true 或 false（實際 {value}）</translation>
    </message>
    <message>
        <source>{where}: must lie within ±1e6 (got [{lo}, {hi}])</source>
        <translation>{where}：必須在 ±1e6 之內（實際 [{lo}, {hi}]）</translation>
    </message>
    <message>
        <source>{where}: unknown key {key} (allowed: {allowed})</source>
        <translation>{where}：未知的鍵 {key}（允許：{allowed}）</translation>
    </message>
    <message>
        <source>{where}: unknown key {key} for optimizer {optimizer}{hint}; allowed: {allowed}</source>
        <translation>{where}：最佳化器 {optimizer} 沒有鍵 {key}{hint}；允許：{allowed}</translation>
    </message>
    <message>
        <source>{where}: {axis}min must be &lt; {axis}max (got [{lo}, {hi}])</source>
        <translation>{where}：{axis}min 必須 &lt; {axis}max（實際 [{lo}, {hi}]）</translation>
    </message>
    <message>
        <source>{which} SGD</source>
        <translation>{which} SGD</translation>
    </message>
    <message>
        <source>θ = ({x}, {y}) is not at a saddle point ({kind}, ‖g‖ = {g}); let the run stall at the saddle first</source>
        <translation>θ = ({x}, {y}) 不在鞍點上（{kind}，‖g‖ = {g}）；請先讓路徑停在鞍點</translation>
    </message>
    <message>
        <source>λ_max over the second half of training: {levels}{edge}.</source>
        <translation>訓練後半段的 λ_max：{levels}{edge}。</translation>
    </message>
    <message>
        <source>λ_max rises with B: {word} ({chain}, {first} → {last}).</source>
        <translation>λ_max 隨 B 上升：{word}（{chain}，{first} → {last}）。</translation>
    </message>
</context>
</TS>
